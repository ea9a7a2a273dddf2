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
)
