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
	if err := checkProgram(req.Program, MaxGraphProgramBytes); err != nil {
		return autograd.EvalResponse{}, err
	}
	release, err := a.evalSlot()
	if err != nil {
		return autograd.EvalResponse{}, err
	}
	defer release()
	return req.Serve(), nil
}

// checkProgram checks the text of a typed program: readable, and at most maxBytes long.
func checkProgram(program string, maxBytes int) error {
	if err := gradjudge.CheckText("program", program); err != nil {
		return err
	}
	if len(program) > maxBytes {
		return gradjudge.Errorf(gradjudge.ETOOLARGE, "the program is longer than %d KiB", maxBytes>>10)
	}
	return nil
}

// evalSlot takes one of the GOMAXPROCS slots of graph evaluation, or tells the caller to come
// back (ERATELIMIT) when all are taken; release gives it back.
func (a *App) evalSlot() (release func(), err error) {
	select {
	case a.evalSlots <- struct{}{}:
		return func() { <-a.evalSlots }, nil
	default:
		return nil, rateLimited(time.Second, "the evaluator is busy")
	}
}
