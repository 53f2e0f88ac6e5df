-- Offers (erbjudande om plats): when a round is published, each child placed at a school is
-- offered the place, and its custodial guardians answer (offer:<child>:<round>). No answer by the
-- deadline counts as accepted. An accepted place is written to the register as the child's
-- enrolment (or, at a preschool, its placement) from the round's start date; a declined one frees
-- the seat.
CREATE TABLE offers (
    round_id    uuid NOT NULL REFERENCES enrollment_rounds (id) ON DELETE CASCADE,
    child_id    uuid NOT NULL REFERENCES persons (id),
    school_id   uuid NOT NULL REFERENCES organisations (id),
    status      text NOT NULL DEFAULT 'offered' CHECK (status IN ('offered', 'accepted', 'declined')),
    settled_at  timestamptz,
    PRIMARY KEY (round_id, child_id)
);
CREATE INDEX offers_school ON offers (round_id, school_id);

-- Each custodial guardian's answer to an offer.
CREATE TABLE offer_answers (
    round_id    uuid NOT NULL,
    child_id    uuid NOT NULL,
    guardian_id uuid NOT NULL REFERENCES persons (id),
    answer      text NOT NULL CHECK (answer IN ('accept', 'decline')),
    answered_at timestamptz NOT NULL,
    PRIMARY KEY (round_id, child_id, guardian_id),
    FOREIGN KEY (round_id, child_id) REFERENCES offers (round_id, child_id) ON DELETE CASCADE
);
