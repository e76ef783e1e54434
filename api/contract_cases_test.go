package api

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"gradjudge"
	"gradjudge/internal/app"
)

// get is a GET case: name, operation, caller, path and the status it must get.
func get(name, op, as, path string, status int) contractCase {
	return contractCase{name: name, op: op, as: as, method: "GET", path: path, status: status}
}

// with is a case with a body.
func with(name, op, as, method, path string, body any, status int) contractCase {
	return contractCase{name: name, op: op, as: as, method: method, path: path, body: body, status: status}
}

func courseCases(f *contractFixture, course string) []contractCase {
	exercises := []string{numericExercise, codeExercise}
	return []contractCase{
		get("my courses", "listMyCourses", "alice", "/api/v1/courses", 200),
		get("my courses without credentials", "listMyCourses", "", "/api/v1/courses", 401),
		with("create a course", "createCourse", "inst", "POST", "/api/v1/courses", map[string]any{"title": "New", "exercise_ids": exercises}, 201),
		with("create a course with an unknown exercise", "createCourse", "inst", "POST", "/api/v1/courses", map[string]any{"title": "New", "exercise_ids": []string{"nope"}}, 400),
		with("create a course without credentials", "createCourse", "", "POST", "/api/v1/courses", map[string]any{"title": "New"}, 401),
		with("create a course as a student", "createCourse", "alice", "POST", "/api/v1/courses", map[string]any{"title": "New"}, 403),
		with("create a course with a huge body", "createCourse", "inst", "POST", "/api/v1/courses", bigJSON(), 413),
		get("a course", "getCourse", "alice", course, 200),
		get("course abc", "getCourse", "alice", "/api/v1/courses/abc", 400),
		get("a course without credentials", "getCourse", "", course, 401),
		get("a course of others", "getCourse", "dave", course, 404),
		get("the roster", "listEnrollments", "ta", course+"/enrollments", 200),
		get("the roster of course 0", "listEnrollments", "ta", "/api/v1/courses/0/enrollments", 400),
		get("the roster without credentials", "listEnrollments", "", course+"/enrollments", 401),
		get("the roster as a student", "listEnrollments", "alice", course+"/enrollments", 403),
		get("the roster of a course of others", "listEnrollments", "dave", course+"/enrollments", 404),
		with("enroll", "enroll", "inst", "POST", course+"/enrollments", map[string]string{"email": "erin@example.edu", "role": "student"}, 201),
		with("enroll with no such role", "enroll", "inst", "POST", course+"/enrollments", map[string]string{"email": "erin@example.edu", "role": "dean"}, 400),
		with("enroll without credentials", "enroll", "", "POST", course+"/enrollments", map[string]string{"email": "erin@example.edu", "role": "student"}, 401),
		with("enroll as a TA", "enroll", "ta", "POST", course+"/enrollments", map[string]string{"email": "erin@example.edu", "role": "student"}, 403),
		with("enroll in no such course", "enroll", "inst", "POST", "/api/v1/courses/999999/enrollments", map[string]string{"email": "erin@example.edu", "role": "student"}, 404),
		with("demote the last instructor", "enroll", "inst", "POST", course+"/enrollments", map[string]string{"email": "inst@example.edu", "role": "student"}, 409),
		with("enroll with a huge body", "enroll", "inst", "POST", course+"/enrollments", bigJSON(), 413),
		with("unenroll", "unenroll", "inst", "DELETE", course+fmt.Sprintf("/enrollments/%d", f.ids["carol"]), nil, 204),
		with("unenroll user abc", "unenroll", "inst", "DELETE", course+"/enrollments/abc", nil, 400),
		with("unenroll without credentials", "unenroll", "", "DELETE", course+"/enrollments/1", nil, 401),
		with("unenroll as a TA", "unenroll", "ta", "DELETE", course+fmt.Sprintf("/enrollments/%d", f.ids["bob"]), nil, 403),
		with("unenroll from no such course", "unenroll", "inst", "DELETE", fmt.Sprintf("/api/v1/courses/999999/enrollments/%d", f.ids["bob"]), nil, 404),
		with("unenroll the last instructor", "unenroll", "inst", "DELETE", course+fmt.Sprintf("/enrollments/%d", f.ids["inst"]), nil, 409),
		get("the exercises", "listCourseExercises", "alice", course+"/exercises", 200),
		get("the exercises of course abc", "listCourseExercises", "alice", "/api/v1/courses/abc/exercises", 400),
		get("the exercises without credentials", "listCourseExercises", "", course+"/exercises", 401),
		get("the exercises of a course of others", "listCourseExercises", "dave", course+"/exercises", 404),
		with("set the exercises", "setCourseExercises", "inst", "PUT", course+"/exercises", map[string]any{"exercise_ids": exercises}, 200),
		with("set an unknown exercise", "setCourseExercises", "inst", "PUT", course+"/exercises", map[string]any{"exercise_ids": []string{"nope"}}, 400),
		with("set the exercises without credentials", "setCourseExercises", "", "PUT", course+"/exercises", map[string]any{"exercise_ids": exercises}, 401),
		with("set the exercises as a student", "setCourseExercises", "alice", "PUT", course+"/exercises", map[string]any{"exercise_ids": exercises}, 403),
		with("set the exercises of a course of others", "setCourseExercises", "dave", "PUT", course+"/exercises", map[string]any{"exercise_ids": exercises}, 404),
		with("set the exercises with a huge body", "setCourseExercises", "inst", "PUT", course+"/exercises", bigJSON(), 413),
		get("a numeric exercise", "getExercise", "alice", course+"/exercises/"+numericExercise, 200),
		get("a code exercise", "getExercise", "alice", course+"/exercises/"+codeExercise, 200),
		get("an exercise of course 0", "getExercise", "alice", "/api/v1/courses/0/exercises/"+numericExercise, 400),
		get("an exercise without credentials", "getExercise", "", course+"/exercises/"+numericExercise, 401),
		get("no such exercise", "getExercise", "alice", course+"/exercises/nope", 404),
	}
}

func submissionCases(t *testing.T, f *contractFixture, course string) []contractCase {
	numeric := course + "/exercises/" + numericExercise + "/submissions"
	code := course + "/exercises/" + codeExercise + "/submissions"
	answer := f.numericAnswer(t, "alice")
	sub, _, err := f.db.CreateSubmission(context.Background(), gradjudge.Submission{UserID: f.ids["alice"], CourseID: f.course,
		ExerciseID: numericExercise, Seed: gradjudge.VariantSeed(f.course, f.ids["alice"], numericExercise),
		Answer: gradjudge.Answer{Fields: rawFields(t, answer)}})
	if err != nil {
		t.Fatal(err)
	}
	mine := fmt.Sprintf("/api/v1/submissions/%d", sub.ID)
	keyed := func(name, key string, body any, status int) contractCase {
		c := with(name, "submitAnswer", "ta", "POST", numeric, body, status)
		c.header = map[string]string{"Idempotency-Key": key}
		return c
	}
	bob := f.numericAnswer(t, "bob")
	cases := []contractCase{
		with("submit a numeric answer", "submitAnswer", "alice", "POST", numeric, answer, 200),
		with("submit a numeric answer and wait", "submitAnswer", "alice", "POST", numeric+"?wait=true&timeout=1", answer, 200),
		with("submit a code answer", "submitAnswer", "alice", "POST", code, map[string]string{"code": "package solution\n"}, 202),
		with("submit code to a numeric exercise", "submitAnswer", "alice", "POST", numeric, map[string]string{"code": "package solution\n"}, 400),
		with("submit with a negative timeout", "submitAnswer", "alice", "POST", numeric+"?wait=true&timeout=-1", answer, 400),
		with("submit without credentials", "submitAnswer", "", "POST", numeric, answer, 401),
		with("submit to no such exercise", "submitAnswer", "alice", "POST", course+"/exercises/nope/submissions", answer, 404),
		with("submit with the variant's seed", "submitAnswer", "ta", "POST", numeric, f.seeded(t, "ta", f.variantSeed("ta")), 200),
		with("submit to a replaced variant", "submitAnswer", "ta", "POST", numeric, f.seeded(t, "ta", "0"), 409),
		with("submit with a seed that is no number", "submitAnswer", "ta", "POST", numeric, f.seeded(t, "ta", "x1"), 400),
		keyed("submit with an idempotency key", "k1", f.numericAnswer(t, "ta"), 200),
		keyed("reuse the key for another answer", "k1", map[string]any{"fields": map[string]string{"x": "2"}}, 409),
		with("submit too much code", "submitAnswer", "alice", "POST", code, map[string]string{"code": strings.Repeat("/", app.MaxCodeBytes+1)}, 413),
		with("submit a huge body", "submitAnswer", "alice", "POST", code, bigJSON(), 413),
	}
	for i := range 3 { // the fixture's burst
		cases = append(cases, with(fmt.Sprintf("bob's answer %d", i+1), "submitAnswer", "bob", "POST", numeric, bob, 200))
	}
	return append(cases,
		with("one answer too many", "submitAnswer", "bob", "POST", numeric, bob, 429),
		get("my submissions", "listSubmissions", "alice", course+"/submissions", 200),
		get("a student's submissions", "listSubmissions", "inst", course+fmt.Sprintf("/submissions?user=%d&status=done&exercise=%s&limit=2&before=%d", f.ids["alice"], numericExercise, 1<<40), 200),
		get("submissions of no such status", "listSubmissions", "alice", course+"/submissions?status=lost", 400),
		get("submissions without credentials", "listSubmissions", "", course+"/submissions", 401),
		get("another student's submissions", "listSubmissions", "alice", course+fmt.Sprintf("/submissions?user=%d", f.ids["bob"]), 403),
		get("submissions of a course of others", "listSubmissions", "dave", course+"/submissions", 404),
		get("a submission", "getSubmission", "alice", mine, 200),
		get("submission abc", "getSubmission", "alice", "/api/v1/submissions/abc", 400),
		get("a submission without credentials", "getSubmission", "", mine, 401),
		get("someone else's submission", "getSubmission", "bob", mine, 404),
	)
}

// rawFields is the fields of a numeric answer as the domain holds them.
func rawFields(t *testing.T, answer map[string]any) map[string]json.RawMessage {
	t.Helper()
	out := map[string]json.RawMessage{}
	for id, v := range answer["fields"].(map[string]any) {
		raw, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		out[id] = raw
	}
	return out
}

func progressCases(f *contractFixture, course string) []contractCase {
	student := func(name string) string { return course + fmt.Sprintf("/students/%d/progress", f.ids[name]) }
	return []contractCase{
		get("my progress", "getMyProgress", "alice", course+"/progress", 200),
		get("my progress in course abc", "getMyProgress", "alice", "/api/v1/courses/abc/progress", 400),
		get("my progress without credentials", "getMyProgress", "", course+"/progress", 401),
		get("my progress in a course of others", "getMyProgress", "dave", course+"/progress", 404),
		get("a student's progress", "getStudentProgress", "inst", student("alice"), 200),
		get("the progress of user abc", "getStudentProgress", "inst", course+"/students/abc/progress", 400),
		get("a student's progress without credentials", "getStudentProgress", "", student("alice"), 401),
		get("another student's progress", "getStudentProgress", "alice", student("bob"), 403),
		get("the progress of no such student", "getStudentProgress", "inst", course+"/students/999999/progress", 404),
		get("the progress of a user not in the course", "getStudentProgress", "inst", student("dave"), 404),
		get("the dashboard", "getCourseStats", "ta", course+"/stats", 200),
		get("the dashboard of course 0", "getCourseStats", "ta", "/api/v1/courses/0/stats", 400),
		get("the dashboard without credentials", "getCourseStats", "", course+"/stats", 401),
		get("the dashboard as a student", "getCourseStats", "alice", course+"/stats", 403),
		get("the dashboard of a course of others", "getCourseStats", "dave", course+"/stats", 404),
		get("the gradebook", "exportGrades", "inst", course+"/grades.csv", 200),
		get("the gradebook of course abc", "exportGrades", "inst", "/api/v1/courses/abc/grades.csv", 400),
		get("the gradebook without credentials", "exportGrades", "", course+"/grades.csv", 401),
		get("the gradebook as a student", "exportGrades", "alice", course+"/grades.csv", 403),
		get("the gradebook of a course of others", "exportGrades", "dave", course+"/grades.csv", 404),
	}
}

func learningCases(f *contractFixture, course string) []contractCase {
	student := func(name string) string { return course + fmt.Sprintf("/students/%d/learning", f.ids[name]) }
	return []contractCase{
		get("my learner model", "getMyLearning", "alice", course+"/learning", 200),
		get("my learner model in course abc", "getMyLearning", "alice", "/api/v1/courses/abc/learning", 400),
		get("my learner model without credentials", "getMyLearning", "", course+"/learning", 401),
		get("my learner model in a course of others", "getMyLearning", "dave", course+"/learning", 404),
		get("a student's learner model", "getStudentLearning", "inst", student("alice"), 200),
		get("the learner model of user abc", "getStudentLearning", "inst", course+"/students/abc/learning", 400),
		get("a student's learner model without credentials", "getStudentLearning", "", student("alice"), 401),
		get("another student's learner model", "getStudentLearning", "alice", student("bob"), 403),
		get("the learner model of no such student", "getStudentLearning", "inst", course+"/students/999999/learning", 404),
		get("the class's learner model", "getClassLearning", "ta", course+"/learning/class", 200),
		get("the class's learner model of course 0", "getClassLearning", "ta", "/api/v1/courses/0/learning/class", 400),
		get("the class's learner model without credentials", "getClassLearning", "", course+"/learning/class", 401),
		get("the class's learner model as a student", "getClassLearning", "alice", course+"/learning/class", 403),
		get("the class's learner model of a course of others", "getClassLearning", "dave", course+"/learning/class", 404),
		get("the learning export", "getLearningCSV", "inst", course+"/learning.csv", 200),
		get("the learning export of course abc", "getLearningCSV", "inst", "/api/v1/courses/abc/learning.csv", 400),
		get("the learning export without credentials", "getLearningCSV", "", course+"/learning.csv", 401),
		get("the learning export as a student", "getLearningCSV", "alice", course+"/learning.csv", 403),
		get("the learning export of a course of others", "getLearningCSV", "dave", course+"/learning.csv", 404),
	}
}

func graphCases() []contractCase {
	const path = "/api/v1/graph/eval"
	program := map[string]any{"program": "z = w*x + b\na = relu(z)\nL = (y - a)^2", "inputs": map[string]any{"w": 0.5, "x": 2, "b": 0.1, "y": 1}}
	return []contractCase{
		with("evaluate", "evalGraph", "inst", "POST", path, program, 200),
		with("evaluate a program that does not parse", "evalGraph", "inst", "POST", path, map[string]any{"program": "z = (", "inputs": map[string]any{}}, 200),
		with("evaluate no program", "evalGraph", "inst", "POST", path, map[string]any{"inputs": map[string]any{"x": 1}}, 400),
		with("evaluate without credentials", "evalGraph", "", "POST", path, program, 401),
		with("evaluate as a student", "evalGraph", "alice", "POST", path, program, 403),
		with("evaluate a huge body", "evalGraph", "inst", "POST", path, bigJSON(), 413),
	}
}
