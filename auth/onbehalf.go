package auth

import "context"

// onBehalfOf is the context key of a request the web pages make to the API in the process, for
// the person signed in to a web session.
type onBehalfOf struct{}

// OnBehalfOf marks ctx as a request made within the process for subject, whose web session
// stands in for a bearer token: everything after sign-in (the register's person, the
// Authorizer's decision, the access log, the handler) is the API's as for any caller. Only code
// in the process can set it; nothing a client sends can.
func OnBehalfOf(ctx context.Context, subject string) context.Context {
	return context.WithValue(ctx, onBehalfOf{}, subject)
}

// SubjectOnBehalf answers the subject ctx was marked for by OnBehalfOf.
func SubjectOnBehalf(ctx context.Context) (string, bool) {
	s, ok := ctx.Value(onBehalfOf{}).(string)
	return s, ok
}
