-- A round's placement, as the round's process (placement:<organiser>:<round>) records it when the
-- round has closed: where each child is placed and on what basis, why not at the schools it
-- ranked higher, and whom each school admitted down to what priority. Written whole, in one
-- transaction, each time the placement runs: a run again with the round's seed gives the same.

ALTER TABLE enrollment_rounds
    ADD COLUMN placed_at   timestamptz,
    ADD COLUMN approved_by uuid REFERENCES persons (id),
    ADD COLUMN approved_at timestamptz,
    ADD COLUMN published_at timestamptz;

-- basis: choice (placed at a school the guardians chose, choice its rank), near-home (no
-- complete application, or every choice full: placed at the nearest school with room, as the
-- law asks), unplaced (no school of the round had room).
-- priorities: the child's priority at each school it chose, [{school, choice, sibling,
-- proximity, lottery}]; refusals: the choices ranked above its place, each with the lowest
-- priority admitted there, [{school, choice, cutOff: {sibling, proximity, lottery}}]. Neither
-- names another child.
CREATE TABLE round_placements (
    round_id   uuid NOT NULL REFERENCES enrollment_rounds (id) ON DELETE CASCADE,
    child_id   uuid NOT NULL REFERENCES persons (id),
    school_id  uuid REFERENCES organisations (id),
    basis      text NOT NULL CHECK (basis IN ('choice', 'near-home', 'unplaced')),
    choice     integer CHECK (choice BETWEEN 1 AND 5),
    priorities jsonb NOT NULL DEFAULT '[]',
    refusals   jsonb NOT NULL DEFAULT '[]',
    PRIMARY KEY (round_id, child_id),
    CHECK ((basis = 'choice') = (choice IS NOT NULL)),
    CHECK ((basis = 'unplaced') = (school_id IS NULL))
);
CREATE INDEX round_placements_school ON round_placements (round_id, school_id);

-- Each school's seats in the round and whom it admitted: cut_off is the lowest priority it
-- admitted by choice ({sibling, proximity, lottery}), null when it admitted no one by choice.
CREATE TABLE round_intakes (
    round_id  uuid NOT NULL REFERENCES enrollment_rounds (id) ON DELETE CASCADE,
    school_id uuid NOT NULL REFERENCES organisations (id),
    seats     integer NOT NULL CHECK (seats >= 0),
    by_choice integer NOT NULL CHECK (by_choice >= 0),
    near_home integer NOT NULL CHECK (near_home >= 0),
    cut_off   jsonb,
    PRIMARY KEY (round_id, school_id),
    CHECK (by_choice + near_home <= seats)
);
