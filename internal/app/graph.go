package app

import (
	"time"

	"gradjudge"
	"gradjudge/autograd"
)

// MaxGraphProgramBytes bounds a program sent to EvalGraph.
const MaxGraphProgramBytes = 64 << 10

// EvalGraph evaluates a graph program for a staff member writing an exercise: every node's value
// and gradient, or the program's error as data. Only instructors and admins may; evaluations run
// at most GOMAXPROCS at a time, and past that the caller is told to come back (ERATELIMIT) rather
// than queued.
func (a *App) EvalGraph(u gradjudge.User, req autograd.EvalRequest) (autograd.EvalResponse, error) {
	if u.Role != gradjudge.RoleInstructor && u.Role != gradjudge.RoleAdmin {
		return autograd.EvalResponse{}, gradjudge.Errorf(gradjudge.EFORBIDDEN, "this needs the instructor role")
	}
	if err := gradjudge.CheckText("program", req.Program); err != nil {
		return autograd.EvalResponse{}, err
	}
	if len(req.Program) > MaxGraphProgramBytes {
		return autograd.EvalResponse{}, gradjudge.Errorf(gradjudge.ETOOLARGE, "the program is longer than %d KiB", MaxGraphProgramBytes>>10)
	}
	select {
	case a.evalSlots <- struct{}{}:
		defer func() { <-a.evalSlots }()
	default:
		return autograd.EvalResponse{}, rateLimited(time.Second, "the evaluator is busy")
	}
	return req.Serve(), nil
}
