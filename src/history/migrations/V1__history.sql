-- The plan history, version 1. Portable SQL: this one file builds the schema on SQLite and on
-- PostgreSQL (BIGINT and TEXT only; times are RFC 3339 UTC text, dates YYYY-MM-DD, JSON is
-- text). Ids are given by resettle inside the writing transaction, which holds the write lock.

-- One recorded run of `resettle plan`, with the KPIs of its optimal plan (kpis.json).
CREATE TABLE runs (
    id BIGINT PRIMARY KEY,
    started_at TEXT NOT NULL,
    user_name TEXT NOT NULL,
    command TEXT NOT NULL,
    -- JSON: kpis.json's parameters and the options that shaped the files.
    options TEXT NOT NULL,
    -- JSON: [{"role", "path", "sha256"}] of every input file read.
    inputs TEXT NOT NULL,
    plan_start TEXT NOT NULL,
    horizon BIGINT NOT NULL,
    k1_reach_adult_male_home BIGINT NOT NULL,
    k1_reach_adult_male_eligible BIGINT NOT NULL,
    -- K1 over the horizon: k1_home is the plan's home releases.
    k1_home BIGINT NOT NULL,
    k1_eligible BIGINT NOT NULL,
    k2_home BIGINT NOT NULL,
    k2_eligible BIGINT NOT NULL,
    on_track BIGINT NOT NULL,
    home_plus_on_track BIGINT NOT NULL,
    moves BIGINT NOT NULL,
    overflow_person_weeks BIGINT NOT NULL,
    -- JSON: seconds of the whole run, the blended start and each stage of the solve.
    timings TEXT NOT NULL,
    -- How the optimal plan was obtained: kpis.json's model.integrality (lp_vertex, ...).
    status TEXT NOT NULL
);

-- The optimal plan's moves of existing prisoners, as in moves.csv (ids as written there).
CREATE TABLE planned_moves (
    run_id BIGINT NOT NULL REFERENCES runs (id),
    line BIGINT NOT NULL,
    prisoner TEXT NOT NULL,
    from_prison TEXT NOT NULL,
    to_prison TEXT NOT NULL,
    week BIGINT NOT NULL CHECK (week >= 0),
    move_date TEXT NOT NULL,
    reason TEXT NOT NULL,
    PRIMARY KEY (run_id, line)
);

-- The transfer requests of the run (allocations.json), kept as Book a Secure Move keeps
-- allocations: unfilled when sent, then filled or cancelled.
CREATE TABLE requests (
    run_id BIGINT NOT NULL REFERENCES runs (id),
    line BIGINT NOT NULL,
    from_prison TEXT NOT NULL,
    to_prison TEXT NOT NULL,
    move_date TEXT NOT NULL,
    estate TEXT NOT NULL,
    category TEXT,
    sentence_length TEXT,
    moves_count BIGINT NOT NULL CHECK (moves_count > 0),
    status TEXT NOT NULL CHECK (status IN ('unfilled', 'filled', 'cancelled')),
    PRIMARY KEY (run_id, line)
);

-- Moves booked when the run was made (its --booked input, as the plan kept them).
CREATE TABLE booked_moves (
    run_id BIGINT NOT NULL REFERENCES runs (id),
    line BIGINT NOT NULL,
    prisoner TEXT NOT NULL,
    from_prison TEXT NOT NULL,
    to_prison TEXT NOT NULL,
    move_date TEXT NOT NULL,
    PRIMARY KEY (run_id, line)
);

-- Moves that happened, against the run whose plan they carry out (for the weekly cycle).
CREATE TABLE carried_out_moves (
    run_id BIGINT NOT NULL REFERENCES runs (id),
    line BIGINT NOT NULL,
    prisoner TEXT NOT NULL,
    from_prison TEXT NOT NULL,
    to_prison TEXT NOT NULL,
    move_date TEXT NOT NULL,
    PRIMARY KEY (run_id, line)
);

-- Who ran what on the history, when, on which inputs (by hash). No personal data.
CREATE TABLE audit (
    id BIGINT PRIMARY KEY,
    at TEXT NOT NULL,
    user_name TEXT NOT NULL,
    command TEXT NOT NULL,
    run_id BIGINT REFERENCES runs (id),
    -- JSON: the inputs' [{"role", "path", "sha256"}], or the runs a command read.
    inputs TEXT NOT NULL
);
