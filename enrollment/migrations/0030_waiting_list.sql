-- The waiting list (reservlista): when the first offers have been answered, a seat a family
-- declined is offered to the child of highest priority who holds a place it ranked lower, or no
-- place, in passes until a pass offers nothing (placement:<organiser>:<round>). A child may so be
-- offered more than one school in a round, each once: an offer is the round's, the child's and
-- the school's. pass is 0 for the round's own offer, 1 and up for the waiting list's. appeal_id
-- names the appeal whose decision the officers changed on reconsideration (omprövning), when the
-- offer is of the school the child was refused. released is a place accepted and then given up
-- for a higher one: its seat is free.
ALTER TABLE offer_answers ADD COLUMN school_id uuid;
UPDATE offer_answers a SET school_id = f.school_id FROM offers f WHERE f.round_id = a.round_id AND f.child_id = a.child_id;
ALTER TABLE offer_answers ALTER COLUMN school_id SET NOT NULL;
ALTER TABLE offer_answers DROP CONSTRAINT offer_answers_round_id_child_id_fkey;
ALTER TABLE offer_answers DROP CONSTRAINT offer_answers_pkey;
ALTER TABLE offers DROP CONSTRAINT offers_pkey;
ALTER TABLE offers ADD PRIMARY KEY (round_id, child_id, school_id);
ALTER TABLE offers ADD COLUMN pass integer NOT NULL DEFAULT 0 CHECK (pass >= 0);
ALTER TABLE offers ADD COLUMN appeal_id uuid REFERENCES placement_appeals (id);
ALTER TABLE offers DROP CONSTRAINT offers_status_check;
ALTER TABLE offers ADD CONSTRAINT offers_status_check CHECK (status IN ('offered', 'accepted', 'declined', 'released'));
ALTER TABLE offer_answers ADD PRIMARY KEY (round_id, child_id, school_id, guardian_id);
ALTER TABLE offer_answers ADD FOREIGN KEY (round_id, child_id, school_id) REFERENCES offers (round_id, child_id, school_id) ON DELETE CASCADE;
-- A child holds one place of a round at a time.
CREATE UNIQUE INDEX offers_one_held ON offers (round_id, child_id) WHERE status = 'accepted';
