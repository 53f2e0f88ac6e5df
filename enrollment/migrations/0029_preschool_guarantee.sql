-- The preschool guarantee (skollagen 8 kap. 14 §): a child whose guardians apply for preschool
-- is offered a place within four months, or from the day they wish if that is later. Each
-- preschool application keeps its guarantee date and where it stands; the process
-- guarantee:<child>:<round> warns the organiser before the date passes with no place accepted.
ALTER TABLE applications ADD COLUMN wished_start date;

CREATE TABLE preschool_guarantees (
    child_id       uuid NOT NULL REFERENCES persons (id),
    round_id       uuid NOT NULL REFERENCES enrollment_rounds (id),
    applied_on     date NOT NULL,
    guarantee_date date NOT NULL CHECK (guarantee_date >= applied_on),
    -- waiting: no place accepted yet; warned: the organiser has the task; placed: a place was
    -- accepted; handled: an officer closed the task without a place accepted here.
    status         text NOT NULL DEFAULT 'waiting' CHECK (status IN ('waiting', 'warned', 'placed', 'handled')),
    settled_at     timestamptz,
    PRIMARY KEY (child_id, round_id)
);
CREATE INDEX preschool_guarantees_date ON preschool_guarantees (guarantee_date) WHERE status IN ('waiting', 'warned');
