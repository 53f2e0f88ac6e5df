-- An appeal of a refusal in a round (överklagande), lodged by a custodial guardian with the
-- organiser that decided, which first reconsiders its decision (omprövning, förvaltningslagen
-- 38-39 §§) and, when it stands, sends the appeal on to the body that tries it: Förvaltningsrätten
-- for a refusal by proximity, Skolväsendets överklagandenämnd otherwise (appeal_to). The
-- reconsideration is the process appeal:<id>.
CREATE TABLE placement_appeals (
    id              uuid PRIMARY KEY,
    round_id        uuid NOT NULL REFERENCES enrollment_rounds (id),
    child_id        uuid NOT NULL REFERENCES persons (id),
    school_id       uuid NOT NULL REFERENCES organisations (id),
    ground          text NOT NULL CHECK (ground IN ('sibling', 'proximity', 'lottery', 'full')),
    appeal_to       text NOT NULL,
    reason          text NOT NULL CHECK (reason <> ''),
    lodged_by       uuid NOT NULL REFERENCES persons (id),
    lodged_at       timestamptz NOT NULL DEFAULT now(),
    status          text NOT NULL DEFAULT 'reconsidering' CHECK (status IN ('reconsidering', 'changed', 'sent-on')),
    decided_by      uuid REFERENCES persons (id),
    reasons         text, -- the officers' reasons for letting the decision stand
    decided_at      timestamptz,
    UNIQUE (round_id, child_id, school_id)
);
