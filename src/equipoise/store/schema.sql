-- equipoise store, schema version 6 (2 added events.source_text and target_text;
-- 3 added codings.status and reason; 4 added GDELT's counts, tone, URL and DATEADDED, and the
-- analyst's judgements; 5 added GDELT's IsRootEvent; 6 added the provenance of imported
-- records: publisher, place, coordinates, story and notes).
-- Applied on every writable open, so every statement must be idempotent (IF NOT EXISTS).
-- A change to any table means a new version in meta.schema_version and a migration.
CREATE TABLE IF NOT EXISTS meta (
    key   VARCHAR PRIMARY KEY,
    value VARCHAR NOT NULL
);

CREATE TABLE IF NOT EXISTS documents (
    id          VARCHAR PRIMARY KEY,      -- content hash of text
    ref         VARCHAR,                  -- id given by the source (JSONL id, file path)
    url         VARCHAR,
    title       VARCHAR,
    source      VARCHAR,                  -- where it came from: file path, feed
    published   DATE,
    text        VARCHAR NOT NULL,
    ingested_at TIMESTAMP NOT NULL DEFAULT current_timestamp
);

-- One row per (document, coder version) once that coder has finished the document,
-- so documents that hold no event are not coded again. A document the coder failed on
-- has status 'failed', the reason, and no events; `equipoise code --retry-failed` tries
-- it again.
CREATE TABLE IF NOT EXISTS codings (
    doc_id   VARCHAR NOT NULL,
    coder    VARCHAR NOT NULL,
    n_events INTEGER NOT NULL,
    coded_at TIMESTAMP NOT NULL DEFAULT current_timestamp,
    status   VARCHAR DEFAULT 'ok',   -- ok | failed (a column added by a migration cannot be NOT NULL)
    reason   VARCHAR,                -- why it failed, or a note on how it was coded
    PRIMARY KEY (doc_id, coder)
);

CREATE TABLE IF NOT EXISTS events (
    doc_id          VARCHAR NOT NULL,     -- documents.id, or the record id of an imported dataset
    sent_start      INTEGER,              -- evidence sentence: character offsets into documents.text
    sent_end        INTEGER,
    sentence        VARCHAR,
    source          VARCHAR NOT NULL,     -- actor code: ISO3 or bloc code
    source_country  VARCHAR,              -- ISO3, NULL for blocs/IGOs
    source_sector   VARCHAR,
    target          VARCHAR NOT NULL,
    target_country  VARCHAR,
    target_sector   VARCHAR,
    cameo           VARCHAR NOT NULL,
    root            VARCHAR NOT NULL,
    quad            TINYINT NOT NULL,
    goldstein       DOUBLE NOT NULL,
    plover          VARCHAR,
    event_date      DATE NOT NULL,        -- first day of the period when precision is month/year
    date_precision  VARCHAR NOT NULL,     -- day | month | year
    "symmetric"     BOOLEAN NOT NULL DEFAULT false,  -- quoted: SYMMETRIC is a DuckDB keyword
    reported        BOOLEAN NOT NULL DEFAULT false,
    trigger         VARCHAR,
    source_text     VARCHAR,              -- the words naming the source in the sentence
    target_text     VARCHAR,
    coder           VARCHAR NOT NULL,     -- coder version, or the dataset's release
    dataset         VARCHAR NOT NULL,     -- equipoise | gdelt1 | gdelt2 | icews | ...
    -- What the dataset says of its record (GDELT); NULL for coded events and other datasets.
    num_mentions    INTEGER,              -- GDELT NumMentions: mentions in the first 15 minutes
    num_sources     INTEGER,              -- GDELT NumSources: distinct sources mentioning it
    num_articles    INTEGER,              -- GDELT NumArticles
    avg_tone        DOUBLE,               -- GDELT AvgTone of the mentioning documents
    source_url      VARCHAR,              -- GDELT SOURCEURL
    date_added      TIMESTAMP,            -- GDELT DATEADDED (a day in 1.0, to the second in 2.0)
    is_root         BOOLEAN,              -- GDELT IsRootEvent: the event of a lead paragraph
    -- Rows imported in bulk: which import wrote them (meta's import_count) and from what line.
    import_id       BIGINT,
    import_line     BIGINT,
    record_no       BIGINT,               -- the record id as a number (GDELT GLOBALEVENTID)
    -- Where an imported record came from, as its dataset says (records.Provenance); NULL for
    -- coded events. Places are the dataset's own names (GDELT's country is a FIPS code).
    publisher       VARCHAR,              -- ICEWS Publisher, POLECAT/ACLED source; GDELT: none
    place_name      VARCHAR,              -- city or place (GDELT ActionGeo_FullName)
    place_admin     VARCHAR,              -- province or state; GDELT: none
    place_country   VARCHAR,              -- country (GDELT ActionGeo_CountryCode)
    latitude        DOUBLE,               -- WGS84 degrees, NULL when missing or out of range
    longitude       DOUBLE,
    story_id        VARCHAR,              -- ICEWS Story ID
    notes           VARCHAR               -- ACLED notes, POLECAT headline
);

-- The analyst's judgements of coded events, kept apart from the coder's output so that
-- they survive re-coding: an event is named by its document, sentence start, actors and
-- CAMEO root, which a new coder version gives the same event again.
CREATE TABLE IF NOT EXISTS judgements (
    doc_id     VARCHAR NOT NULL,
    sent_start INTEGER NOT NULL,
    source     VARCHAR NOT NULL,
    target     VARCHAR NOT NULL,
    root       VARCHAR NOT NULL,
    verdict    VARCHAR NOT NULL,     -- exclude (left out of every analysis) | miscoded
    cameo      VARCHAR,              -- the right code, for a miscoded event
    reason     VARCHAR NOT NULL,
    who        VARCHAR NOT NULL,
    judged_at  TIMESTAMP NOT NULL DEFAULT current_timestamp,
    PRIMARY KEY (doc_id, sent_start, source, target, root)
);
