"""PDF pages through fpdf2 (imported here only), and PDF pages to PNG through pypdfium2."""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Any

from os1.errors import ConfigError, StorageError


def new_pdf(width_mm: float, height_mm: float) -> Any:
    try:
        from fpdf import FPDF
    except ImportError as exc:  # pragma: no cover - a broken install
        raise ConfigError("fpdf2 is not installed.", "Run: .venv/bin/pip install fpdf2") from exc
    pdf = FPDF(unit="mm", format=(width_mm, height_mm))
    pdf.set_auto_page_break(False)
    pdf.set_creator("OS1")
    return pdf


def save_pdf(pdf: Any, out: Path) -> None:
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # fpdf2's notes about font tables it skips
            pdf.output(str(out))
    except OSError as exc:
        raise StorageError(f"Cannot write {out}: {exc.strerror}.", "Choose another place.") from exc


def page_to_png(pdf_path: Path, png_path: Path, page: int = 0, dpi: int = 110) -> None:
    """Render one page of a PDF as a PNG picture."""
    try:
        import pypdfium2
    except ImportError as exc:  # pragma: no cover - a broken install
        raise ConfigError(
            "pypdfium2 is not installed.", "Run: .venv/bin/pip install pypdfium2"
        ) from exc
    document = pypdfium2.PdfDocument(str(pdf_path))
    try:
        image = document[page].render(scale=dpi / 72).to_pil()
        try:
            image.save(str(png_path), format="PNG")
        except OSError as exc:
            raise StorageError(f"Cannot write {png_path}: {exc.strerror}.") from exc
    finally:
        document.close()


def page_count(pdf_path: Path) -> int:
    import pypdfium2

    document = pypdfium2.PdfDocument(str(pdf_path))
    try:
        return len(document)
    finally:
        document.close()
