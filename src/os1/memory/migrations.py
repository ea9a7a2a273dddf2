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
    (
        "0500_accounts",
        """
        -- Bearer tokens for the web page and the API: only a hash is kept, never the token.
        CREATE TABLE tokens (
            id INTEGER PRIMARY KEY,
            user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
            token_hash TEXT NOT NULL UNIQUE,
            hint TEXT NOT NULL,
            created_at TEXT NOT NULL,
            last_used_at TEXT,
            revoked_at TEXT
        );
        CREATE INDEX tokens_user ON tokens (user_id);
        """,
    ),
    (
        "0700_mail",
        """
        -- Where mail comes from: an IMAP account, or a Maildir or mbox that was imported.
        CREATE TABLE mail_sources (
            id INTEGER PRIMARY KEY,
            user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
            kind TEXT NOT NULL CHECK (kind IN ('imap', 'maildir', 'mbox')),
            name TEXT NOT NULL,
            created_at TEXT NOT NULL,
            UNIQUE (user_id, kind, name)
        );
        -- IMAP sync state per folder: a changed UIDVALIDITY means the UIDs start over.
        CREATE TABLE mail_folders (
            id INTEGER PRIMARY KEY,
            source_id INTEGER NOT NULL REFERENCES mail_sources(id) ON DELETE CASCADE,
            name TEXT NOT NULL,
            role TEXT NOT NULL DEFAULT 'inbox' CHECK (role IN ('inbox', 'sent', 'other')),
            uidvalidity INTEGER,
            uidnext INTEGER,
            highestmodseq INTEGER,
            last_uid INTEGER NOT NULL DEFAULT 0,
            synced_at TEXT,
            UNIQUE (source_id, name)
        );
        CREATE TABLE mail_threads (
            id INTEGER PRIMARY KEY,
            user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
            summary TEXT NOT NULL DEFAULT '',
            summary_upto INTEGER NOT NULL DEFAULT 0
        );
        -- Message-IDs seen (or referenced) and the thread they belong to.
        CREATE TABLE mail_ids (
            user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
            message_id TEXT NOT NULL,
            thread_id INTEGER NOT NULL REFERENCES mail_threads(id),
            PRIMARY KEY (user_id, message_id)
        );
        CREATE INDEX mail_ids_thread ON mail_ids (thread_id);
        -- One parsed message. Its text is data from outside: shown and quoted, never obeyed.
        CREATE TABLE mail_messages (
            id INTEGER PRIMARY KEY,
            user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
            folder_id INTEGER NOT NULL REFERENCES mail_folders(id) ON DELETE CASCADE,
            uid INTEGER,
            digest TEXT NOT NULL,
            message_id TEXT NOT NULL DEFAULT '',
            thread_id INTEGER REFERENCES mail_threads(id),
            from_name TEXT NOT NULL DEFAULT '',
            from_addr TEXT NOT NULL DEFAULT '',
            subject TEXT NOT NULL DEFAULT '',
            sent_at TEXT NOT NULL DEFAULT '',
            flags TEXT NOT NULL DEFAULT '[]',
            size INTEGER NOT NULL DEFAULT 0,
            body TEXT NOT NULL DEFAULT '',
            details TEXT NOT NULL DEFAULT '{}',
            outgoing INTEGER NOT NULL DEFAULT 0,
            labels TEXT NOT NULL DEFAULT '[]',
            reason TEXT NOT NULL DEFAULT '',
            gone INTEGER NOT NULL DEFAULT 0,
            added_at TEXT NOT NULL,
            UNIQUE (folder_id, digest)
        );
        CREATE INDEX mail_messages_uid ON mail_messages (folder_id, uid);
        CREATE INDEX mail_messages_thread ON mail_messages (thread_id, sent_at);
        CREATE INDEX mail_messages_user ON mail_messages (user_id, gone, sent_at);
        CREATE VIRTUAL TABLE mail_fts USING fts5 (
            from_name, from_addr, subject, body, content='mail_messages', content_rowid='id',
            tokenize='unicode61 remove_diacritics 2'
        );
        CREATE TRIGGER mail_messages_ai AFTER INSERT ON mail_messages BEGIN
            INSERT INTO mail_fts (rowid, from_name, from_addr, subject, body)
            VALUES (new.id, new.from_name, new.from_addr, new.subject, new.body);
        END;
        CREATE TRIGGER mail_messages_ad AFTER DELETE ON mail_messages BEGIN
            INSERT INTO mail_fts (mail_fts, rowid, from_name, from_addr, subject, body)
            VALUES ('delete', old.id, old.from_name, old.from_addr, old.subject, old.body);
        END;
        """,
    ),
    (
        "0701_proactive",
        """
        -- Things OS1 wants to say without being asked (urgent mail...). Interfaces show
        -- the due ones between turns; `offer` is a READ skill OS1 may use on a plain yes.
        CREATE TABLE proactive_notes (
            id INTEGER PRIMARY KEY,
            user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
            key TEXT NOT NULL,
            text TEXT NOT NULL,
            offer TEXT NOT NULL DEFAULT '{}',
            created_at TEXT NOT NULL,
            delivered_at TEXT,
            channel TEXT NOT NULL DEFAULT '',
            UNIQUE (user_id, key)
        );
        CREATE INDEX proactive_pending ON proactive_notes (user_id, delivered_at);
        """,
    ),
    (
        "0800_letters",
        """
        -- The letter archive: people (clients who have letters written, and those they
        -- write to) and every letter between them, years of it. `kind` is 'archive' for
        -- letters brought in, 'draft' for letters OS1 drafted.
        CREATE TABLE letter_people (
            id INTEGER PRIMARY KEY,
            user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
            name TEXT NOT NULL,
            UNIQUE (user_id, name)
        );
        CREATE TABLE letters (
            id INTEGER PRIMARY KEY,
            user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
            sender_id INTEGER REFERENCES letter_people(id),
            recipient_id INTEGER REFERENCES letter_people(id),
            title TEXT NOT NULL DEFAULT '',
            written_on TEXT NOT NULL DEFAULT '',
            body TEXT NOT NULL,
            kind TEXT NOT NULL DEFAULT 'archive' CHECK (kind IN ('archive', 'draft')),
            source TEXT NOT NULL DEFAULT '',
            digest TEXT NOT NULL,
            created_at TEXT NOT NULL,
            UNIQUE (user_id, digest)
        );
        CREATE INDEX letters_pair ON letters (user_id, sender_id, recipient_id, written_on);
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
