-- A pupil's arrival and leaving (SS 12000 AttendanceEvent, In and Ut), as a preschool's or
-- fritids' check-in reports it for a group: when the child came and went. Served and reported
-- through SS 12000 (ss12000/attendance_events.go).
CREATE TABLE attendance_events (
    id            uuid PRIMARY KEY,
    person_id     uuid NOT NULL REFERENCES persons (id) ON DELETE CASCADE,
    group_id      uuid NOT NULL REFERENCES groups (id) ON DELETE CASCADE,
    event_type    text NOT NULL CHECK (event_type IN ('In', 'Ut')),
    at            timestamptz NOT NULL,
    registered_by uuid REFERENCES persons (id) ON DELETE SET NULL,
    meta_created  timestamptz NOT NULL DEFAULT now(),
    meta_modified timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX attendance_events_person ON attendance_events (person_id, at);
CREATE INDEX attendance_events_group ON attendance_events (group_id, at);
CREATE INDEX attendance_events_meta_modified ON attendance_events (meta_modified, id);
CREATE INDEX attendance_events_meta_created ON attendance_events (meta_created, id);

CREATE TRIGGER attendance_events_meta BEFORE UPDATE ON attendance_events FOR EACH ROW
    WHEN (OLD IS DISTINCT FROM NEW) EXECUTE FUNCTION ss12000_touch();
CREATE TRIGGER attendance_events_deleted AFTER DELETE ON attendance_events FOR EACH ROW
    EXECUTE FUNCTION ss12000_deleted('attendanceEvents');
CREATE TRIGGER attendance_events_ss12000_insert AFTER INSERT ON attendance_events REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION ss12000_changed('AttendanceEvent', 'object');
CREATE TRIGGER attendance_events_ss12000_update AFTER UPDATE ON attendance_events REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION ss12000_changed('AttendanceEvent', 'object');
CREATE TRIGGER attendance_events_ss12000_delete AFTER DELETE ON attendance_events REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION ss12000_changed('AttendanceEvent', 'object');

ALTER TABLE api_client_grants DROP CONSTRAINT api_client_grants_resource_check;
ALTER TABLE api_client_grants ADD CONSTRAINT api_client_grants_resource_check CHECK (resource IN ('organisations',
    'persons', 'placements', 'duties', 'groups', 'syllabuses', 'activities', 'calendarEvents', 'attendances',
    'absences', 'aggregatedAttendance', 'grades', 'deletedEntities', 'attendances.report', 'absences.report',
    'subscriptions', 'attendanceEvents', 'attendanceEvents.report'));
