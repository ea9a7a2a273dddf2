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
        "0900_music",
        """
        -- Pieces OS1 composed (issue 9): each one the memory of a moment, playable again.
        CREATE TABLE pieces (
            id INTEGER PRIMARY KEY,
            user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
            kind TEXT NOT NULL CHECK (kind IN ('piano', 'song')),
            title TEXT NOT NULL,
            about TEXT NOT NULL,
            context TEXT NOT NULL DEFAULT '',
            mood TEXT NOT NULL DEFAULT '{}',
            plan TEXT NOT NULL DEFAULT '{}',
            seed INTEGER NOT NULL DEFAULT 0,
            lyrics TEXT NOT NULL DEFAULT '',
            midi BLOB,
            audio_path TEXT NOT NULL DEFAULT '',
            seconds REAL NOT NULL DEFAULT 0,
            created_at TEXT NOT NULL,
            played_at TEXT
        );
        CREATE INDEX pieces_user ON pieces (user_id, id);
        CREATE VIRTUAL TABLE pieces_fts USING fts5 (
            title, about, lyrics, content='pieces', content_rowid='id',
            tokenize='porter unicode61'
        );
        CREATE TRIGGER pieces_ai AFTER INSERT ON pieces BEGIN
            INSERT INTO pieces_fts (rowid, title, about, lyrics)
            VALUES (new.id, new.title, new.about, new.lyrics);
        END;
        CREATE TRIGGER pieces_ad AFTER DELETE ON pieces BEGIN
            INSERT INTO pieces_fts (pieces_fts, rowid, title, about, lyrics)
            VALUES ('delete', old.id, old.title, old.about, old.lyrics);
        END;
        CREATE TRIGGER pieces_au AFTER UPDATE OF title, about, lyrics ON pieces BEGIN
            INSERT INTO pieces_fts (pieces_fts, rowid, title, about, lyrics)
            VALUES ('delete', old.id, old.title, old.about, old.lyrics);
            INSERT INTO pieces_fts (rowid, title, about, lyrics)
            VALUES (new.id, new.title, new.about, new.lyrics);
        END;
        """,
    ),
    (
        "0901_music_context",
        """
        -- A piece is found again by the conversation around it too ("play the beach song"
        -- for a piece asked for as "something about this moment").
        DROP TRIGGER pieces_ai;
        DROP TRIGGER pieces_ad;
        DROP TRIGGER pieces_au;
        DROP TABLE pieces_fts;
        CREATE VIRTUAL TABLE pieces_fts USING fts5 (
            title, about, lyrics, context, content='pieces', content_rowid='id',
            tokenize='porter unicode61'
        );
        INSERT INTO pieces_fts (pieces_fts) VALUES ('rebuild');
        CREATE TRIGGER pieces_ai AFTER INSERT ON pieces BEGIN
            INSERT INTO pieces_fts (rowid, title, about, lyrics, context)
            VALUES (new.id, new.title, new.about, new.lyrics, new.context);
        END;
        CREATE TRIGGER pieces_ad AFTER DELETE ON pieces BEGIN
            INSERT INTO pieces_fts (pieces_fts, rowid, title, about, lyrics, context)
            VALUES ('delete', old.id, old.title, old.about, old.lyrics, old.context);
        END;
        CREATE TRIGGER pieces_au AFTER UPDATE OF title, about, lyrics, context ON pieces BEGIN
            INSERT INTO pieces_fts (pieces_fts, rowid, title, about, lyrics, context)
            VALUES ('delete', old.id, old.title, old.about, old.lyrics, old.context);
            INSERT INTO pieces_fts (rowid, title, about, lyrics, context)
            VALUES (new.id, new.title, new.about, new.lyrics, new.context);
        END;
        """,
    ),
)
