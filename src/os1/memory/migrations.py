"""Forward-only, named schema migrations. Append new ones; never edit an applied one."""

from __future__ import annotations

MIGRATIONS: tuple[tuple[str, str], ...] = (
    (
        "0001_core",
        """
        CREATE TABLE users (
            id INTEGER PRIMARY KEY,
            handle TEXT NOT NULL UNIQUE,
            created_at TEXT NOT NULL
        );
        CREATE TABLE threads (
            id INTEGER PRIMARY KEY,
            user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
            title TEXT NOT NULL,
            created_at TEXT NOT NULL,
            UNIQUE (user_id, title)
        );
        -- Episodes: every turn, with time and speaker. 'context' rows are what OS1
        -- recalled for a turn: kept so a prompt can be rebuilt exactly, never searched.
        CREATE TABLE messages (
            id INTEGER PRIMARY KEY,
            user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
            thread_id INTEGER NOT NULL REFERENCES threads(id) ON DELETE CASCADE,
            role TEXT NOT NULL CHECK (role IN ('user', 'assistant', 'context')),
            content TEXT NOT NULL,
            created_at TEXT NOT NULL,
            interrupted INTEGER NOT NULL DEFAULT 0,
            meta TEXT NOT NULL DEFAULT '{}'
        );
        CREATE INDEX messages_thread ON messages (thread_id, id);
        CREATE VIRTUAL TABLE messages_fts USING fts5 (
            content, content='messages', content_rowid='id', tokenize='porter unicode61'
        );
        CREATE TRIGGER messages_ai AFTER INSERT ON messages WHEN new.role != 'context' BEGIN
            INSERT INTO messages_fts (rowid, content) VALUES (new.id, new.content);
        END;
        CREATE TRIGGER messages_ad AFTER DELETE ON messages WHEN old.role != 'context' BEGIN
            INSERT INTO messages_fts (messages_fts, rowid, content)
            VALUES ('delete', old.id, old.content);
        END;
        CREATE TRIGGER messages_au AFTER UPDATE OF content ON messages
        WHEN old.role != 'context' BEGIN
            INSERT INTO messages_fts (messages_fts, rowid, content)
            VALUES ('delete', old.id, old.content);
            INSERT INTO messages_fts (rowid, content) VALUES (new.id, new.content);
        END;

        -- Facts: short statements about the user, their people, their world, OS1 itself.
        -- A superseded fact keeps its row with valid_to set: history, not deletion.
        CREATE TABLE facts (
            id INTEGER PRIMARY KEY,
            user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
            about TEXT NOT NULL,
            statement TEXT NOT NULL,
            source_ids TEXT NOT NULL DEFAULT '[]',
            confidence REAL NOT NULL DEFAULT 0.8,
            importance INTEGER NOT NULL DEFAULT 3,
            valid_from TEXT NOT NULL,
            valid_to TEXT,
            superseded_by INTEGER REFERENCES facts(id)
        );
        CREATE INDEX facts_user ON facts (user_id, valid_to);
        CREATE VIRTUAL TABLE facts_fts USING fts5 (
            statement, content='facts', content_rowid='id', tokenize='porter unicode61'
        );
        CREATE TRIGGER facts_ai AFTER INSERT ON facts BEGIN
            INSERT INTO facts_fts (rowid, statement) VALUES (new.id, new.statement);
        END;
        CREATE TRIGGER facts_ad AFTER DELETE ON facts BEGIN
            INSERT INTO facts_fts (facts_fts, rowid, statement)
            VALUES ('delete', old.id, old.statement);
        END;
        CREATE TRIGGER facts_au AFTER UPDATE OF statement ON facts BEGIN
            INSERT INTO facts_fts (facts_fts, rowid, statement)
            VALUES ('delete', old.id, old.statement);
            INSERT INTO facts_fts (rowid, statement) VALUES (new.id, new.statement);
        END;

        -- Every change to a memory: before, after and why.
        CREATE TABLE memory_history (
            id INTEGER PRIMARY KEY,
            user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
            item_kind TEXT NOT NULL,
            item_id INTEGER NOT NULL,
            action TEXT NOT NULL,
            before TEXT,
            after TEXT,
            cause TEXT NOT NULL,
            created_at TEXT NOT NULL
        );

        -- Small labelled blocks always in the prompt (profile, self, relationship).
        CREATE TABLE core_blocks (
            user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
            label TEXT NOT NULL,
            content TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            PRIMARY KEY (user_id, label)
        );

        -- The persona as data (name, traits, interview answers), with its history.
        CREATE TABLE personas (
            user_id INTEGER PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
            data TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );
        CREATE TABLE persona_history (
            id INTEGER PRIMARY KEY,
            user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
            data TEXT NOT NULL,
            cause TEXT NOT NULL,
            created_at TEXT NOT NULL
        );

        -- What OS1 did or was asked to do that sends, deletes, moves or spends.
        CREATE TABLE audit_log (
            id INTEGER PRIMARY KEY,
            user_id INTEGER REFERENCES users(id) ON DELETE SET NULL,
            action TEXT NOT NULL,
            detail TEXT NOT NULL,
            outcome TEXT NOT NULL,
            created_at TEXT NOT NULL
        );
        """,
    ),
    (
        "0002_actions",
        """
        -- What a skill proposed to send, delete, move or spend, and what the user decided.
        CREATE TABLE actions (
            id INTEGER PRIMARY KEY,
            user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
            thread_id INTEGER REFERENCES threads(id) ON DELETE SET NULL,
            skill TEXT NOT NULL,
            summary TEXT NOT NULL,
            payload TEXT NOT NULL,
            status TEXT NOT NULL CHECK (status IN ('pending', 'declined', 'done', 'failed')),
            outcome TEXT NOT NULL DEFAULT '',
            created_at TEXT NOT NULL,
            decided_at TEXT
        );
        CREATE INDEX actions_pending ON actions (user_id, status);
        """,
    ),
    (
        "0300_memory",
        """
        -- Who spoke (for imported conversations) and the turn's id in its source.
        ALTER TABLE messages ADD COLUMN speaker TEXT;
        ALTER TABLE messages ADD COLUMN source_id TEXT;
        CREATE INDEX messages_time ON messages (user_id, created_at);
        CREATE INDEX messages_source ON messages (user_id, source_id);
        CREATE INDEX messages_speaker ON messages (user_id, speaker COLLATE NOCASE);
        CREATE INDEX facts_superseded ON facts (superseded_by);

        -- Documents read (books, letters, mail), cut into passages for search.
        CREATE TABLE documents (
            id INTEGER PRIMARY KEY,
            user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
            path TEXT NOT NULL,
            title TEXT NOT NULL,
            kind TEXT NOT NULL,
            sha256 TEXT NOT NULL,
            chars INTEGER NOT NULL,
            read_at TEXT NOT NULL,
            UNIQUE (user_id, path)
        );
        CREATE TABLE passages (
            id INTEGER PRIMARY KEY,
            document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
            seq INTEGER NOT NULL,
            text TEXT NOT NULL
        );
        CREATE INDEX passages_document ON passages (document_id, seq);
        CREATE VIRTUAL TABLE passages_fts USING fts5 (
            text, content='passages', content_rowid='id', tokenize='porter unicode61'
        );
        -- No insert trigger: Documents.store indexes passages itself, in one statement,
        -- which FTS5 does about four times faster than row by row from a trigger.
        CREATE TRIGGER passages_ad AFTER DELETE ON passages BEGIN
            INSERT INTO passages_fts (passages_fts, rowid, text)
            VALUES ('delete', old.id, old.text);
        END;

        -- One vector per fact, turn or passage, from the packaged embedding model:
        -- int8, normalised. `cell` is its inverted-file cell once there are enough.
        CREATE TABLE vectors (
            kind TEXT NOT NULL CHECK (kind IN ('fact', 'message', 'passage')),
            item_id INTEGER NOT NULL,
            user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
            model TEXT NOT NULL,
            cell INTEGER NOT NULL DEFAULT 0,
            vector BLOB NOT NULL,
            PRIMARY KEY (kind, item_id)
        );
        CREATE INDEX vectors_cell ON vectors (user_id, cell);
        CREATE TABLE vector_cells (
            id INTEGER PRIMARY KEY,
            model TEXT NOT NULL,
            centroid BLOB NOT NULL
        );
        -- Removing a memory removes its vector too.
        CREATE TRIGGER facts_vector_ad AFTER DELETE ON facts BEGIN
            DELETE FROM vectors WHERE kind = 'fact' AND item_id = old.id;
        END;
        CREATE TRIGGER messages_vector_ad AFTER DELETE ON messages BEGIN
            DELETE FROM vectors WHERE kind = 'message' AND item_id = old.id;
        END;
        CREATE TRIGGER passages_vector_ad AFTER DELETE ON passages BEGIN
            DELETE FROM vectors WHERE kind = 'passage' AND item_id = old.id;
        END;

        -- Reflection: summaries and insights consolidated from episodes. A summary
        -- whose sources were forgotten is marked stale and derived again.
        CREATE TABLE reflections (
            id INTEGER PRIMARY KEY,
            user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
            kind TEXT NOT NULL CHECK (kind IN ('summary', 'insight')),
            content TEXT NOT NULL,
            source_ids TEXT NOT NULL DEFAULT '[]',
            first_at TEXT NOT NULL,
            last_at TEXT NOT NULL,
            stale INTEGER NOT NULL DEFAULT 0,
            created_at TEXT NOT NULL
        );
        CREATE INDEX reflections_user ON reflections (user_id, id);
        """,
    ),
)
