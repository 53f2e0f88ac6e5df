package attendance

import (
	"github.com/gin-gonic/gin"

	"github.com/skolflow/skolflow/area"
	"github.com/skolflow/skolflow/policies"
)

// New is the attendance area as the platform wires it: its routes. It has no process of its
// own: a registration hands absences to the absence outbox, whose dispatcher tells the pupils'
// absence days.
func New(env area.Env) area.Module {
	h := handlers{store: Store{env.DB}}
	return area.Module{
		Name: "attendance",
		Routes: func(v1 gin.IRoutes) {
			v1.POST("/schools/:schoolId/lessons", h.importLessons)
			v1.GET("/me/lessons", h.myLessons)
			v1.GET("/lessons/:lessonId", h.lesson)
			v1.PUT("/lessons/:lessonId/attendance", h.register)
			v1.GET("/lessons/:lessonId/attendance", h.lessonAttendance)
			v1.GET("/persons/:personId/attendance", h.personAttendance)
			v1.GET("/persons/:personId/lessons", h.pupilLessons)
		},
		Targets: policies.Targets{"lessonId": LessonTarget},
		Web:     Web(),
	}
}
