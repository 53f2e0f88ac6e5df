package web

import (
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"go.uber.org/zap"

	"github.com/skolflow/skolflow/store"
)

// Reassignment on the task inbox: a school's principal gives a task of the school to another
// member of its staff who could hold it (the task's heldBy roles), from a list the API gives
// (GET /api/v1/schools/{schoolId}/staff). Whether they may is the API's: the form is shown only
// where it would be taken, and a POST from anyone else gets the API's refusal.

// StaffOption is a person a task may be given to, as the select shows them.
type StaffOption struct {
	PersonID, Label string
}

// staffMember is a member of a school's staff as the API lists them.
type staffMember struct {
	ID         string   `json:"id"`
	GivenName  string   `json:"givenName"`
	FamilyName string   `json:"familyName"`
	DutyRoles  []string `json:"dutyRoles"`
}

// reassignOptions answers whom the signed-in principal may give t to: the staff of t's school
// holding a role in t.HeldBy, but not the person who holds it now. Staff lists are asked once a
// school and kept in staff. A task that is its holder's alone, or a viewer who is no principal,
// gets none; so does a school whose staff the API does not show the viewer.
func (c *Ctx) reassignOptions(staff map[string][]staffMember, t store.TaskView) []StaffOption {
	if !c.Session.Has(RolePrincipal) || len(t.HeldBy) == 0 || t.SchoolID == nil {
		return nil
	}
	school := *t.SchoolID
	members, ok := staff[school]
	if !ok {
		if err := c.Get("/api/v1/schools/"+url.PathEscape(school)+"/staff", &members); err != nil {
			if e := (*APIError)(nil); !errors.As(err, &e) || e.Status >= 500 {
				c.w.d.Log.Warn("a school's staff could not be listed for the inbox", zap.Error(err))
			}
			members = nil
		}
		staff[school] = members
	}
	var out []StaffOption
	for _, m := range members {
		if m.ID == t.Assignee.PersonID {
			continue
		}
		var roles []string
		for _, r := range m.DutyRoles {
			if slices.Contains(t.HeldBy, r) {
				roles = append(roles, c.roleName(r))
			}
		}
		if len(roles) > 0 {
			name := strings.TrimSpace(m.GivenName + " " + m.FamilyName)
			out = append(out, StaffOption{PersonID: m.ID, Label: c.T("tasks.reassign.option", name, strings.Join(roles, ", "))})
		}
	}
	return out
}

// roleName is a duty role in words: the catalogue's, or the register's own name.
func (c *Ctx) roleName(role string) string {
	if key := "role." + role; c.w.texts.Has(key) {
		return c.T(key)
	}
	return role
}

// reassignTask gives the task to the person chosen. A task done or moved elsewhere meanwhile
// shows the inbox as it is now (409); a person who may not hold it, the inbox with a word of
// why (422); a viewer who may not reassign it, the API's refusal (403, 404).
func reassignTask(c *Ctx) {
	in := map[string]any{"assignee": map[string]string{"personId": c.PostForm("personId")}}
	err := c.Send(http.MethodPost, "/api/v1/tasks/"+url.PathEscape(c.Param("taskId"))+"/reassign", in, nil)
	switch {
	case err == nil:
		c.Done("/tasks", "tasks.reassigned")
	case Conflict(err):
		showTasks(c, http.StatusConflict, View{Flash: c.T("tasks.conflict")}, "")
	case isWrong(err):
		showTasks(c, http.StatusUnprocessableEntity, View{Flash: c.T("tasks.reassign.invalid")}, "")
	default:
		c.Fail(err)
	}
}
