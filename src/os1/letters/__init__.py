"""Letters: proofreading, a letter archive, ghostwriting, handwriting, and the book."""
