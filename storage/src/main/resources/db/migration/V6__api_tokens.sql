-- API tokens: a user's bearer credential for the REST API (/api/v1), carrying that user's role.
-- Only the SHA-256 of the token is stored: a token is 256 random bits, so nobody can guess one
-- from its hash and a slow password hash (bcrypt) would buy nothing but a slower lookup; the hash
-- is unique, so a request finds its token with one indexed lookup. The prefix (the token's first
-- characters) lets a user tell their tokens apart in the list without the token being kept.
CREATE TABLE api_token (
    id           bigserial   PRIMARY KEY,
    user_name    text        NOT NULL REFERENCES app_user (name) ON DELETE CASCADE,
    name         text        NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    token_sha256 bytea       NOT NULL UNIQUE CHECK (length(token_sha256) = 32),
    prefix       text        NOT NULL,
    created_at   timestamptz NOT NULL,
    last_used_at timestamptz,
    revoked_at   timestamptz
);
CREATE INDEX api_token_user ON api_token (user_name);
