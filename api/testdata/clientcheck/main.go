// Command clientcheck uses a Go client that oapi-codegen generated from gradjudge's OpenAPI
// document (package clientcheck/client) as an integration would: it signs in, submits a numeric
// answer and waits for its verdict, submits a code answer without waiting, polls the submission
// by the Location it was given, and submits until it is told to slow down, reading Retry-After.
// TestGeneratedClient builds and runs it against a real server; it prints what it saw as JSON
// and exits non-zero on the first surprise.
//
// Usage: clientcheck BASE_URL EMAIL PASSWORD COURSE_ID NUMERIC_EXERCISE CODE_EXERCISE
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"strconv"

	"github.com/oapi-codegen/runtime/types"

	"clientcheck/client"
)

// report is what the check saw, printed as JSON for the test to compare.
type report struct {
	TokenType       string `json:"token_type"`
	NumericStatus   string `json:"numeric_status"`
	NumericVerdict  string `json:"numeric_verdict"`
	AcceptedID      int64  `json:"accepted_id"`
	AcceptedStatus  string `json:"accepted_status"`
	Location        string `json:"location"`
	PolledID        int64  `json:"polled_id"`
	PolledStatus    string `json:"polled_status"`
	RateLimitedCode string `json:"rate_limited_code"`
	RetryAfter      int    `json:"retry_after"`
}

func main() {
	if len(os.Args) != 7 {
		fail("usage: clientcheck BASE_URL EMAIL PASSWORD COURSE_ID NUMERIC_EXERCISE CODE_EXERCISE")
	}
	course, err := strconv.ParseInt(os.Args[4], 10, 64)
	check(err)
	r, err := run(context.Background(), os.Args[1], os.Args[2], os.Args[3], course, os.Args[5], os.Args[6])
	check(err)
	check(json.NewEncoder(os.Stdout).Encode(r))
}

func run(ctx context.Context, base, email, password string, course int64, numeric, code string) (report, error) {
	var r report
	token, err := login(ctx, base, email, password, &r)
	if err != nil {
		return r, err
	}
	bearer := func(_ context.Context, req *http.Request) error {
		req.Header.Set("Authorization", "Bearer "+token)
		return nil
	}
	c, err := client.NewClientWithResponses(base, client.WithRequestEditorFn(bearer))
	if err != nil {
		return r, err
	}
	answer, err := numericAnswer(ctx, c, course, numeric)
	if err != nil {
		return r, err
	}
	if err := submitNumeric(ctx, c, course, numeric, answer, &r); err != nil {
		return r, err
	}
	if err := submitCode(ctx, c, course, code, &r); err != nil {
		return r, err
	}
	if err := poll(ctx, base, r.Location, bearer, &r); err != nil {
		return r, err
	}
	return r, rateLimited(ctx, c, course, numeric, answer, &r)
}

func login(ctx context.Context, base, email, password string, r *report) (string, error) {
	c, err := client.NewClientWithResponses(base)
	if err != nil {
		return "", err
	}
	resp, err := c.LoginWithResponse(ctx, client.LoginJSONRequestBody{Email: types.Email(email), Password: password})
	if err != nil {
		return "", err
	}
	if resp.JSON200 == nil {
		return "", fmt.Errorf("login: %d %s", resp.StatusCode(), resp.Body)
	}
	r.TokenType = string(resp.JSON200.TokenType)
	return resp.JSON200.Token, nil
}

// numericAnswer reads the caller's variant of the exercise and answers 1 to every asked quantity.
func numericAnswer(ctx context.Context, c *client.ClientWithResponses, course int64, exercise string) (map[string]interface{}, error) {
	resp, err := c.GetExerciseWithResponse(ctx, course, exercise)
	if err != nil {
		return nil, err
	}
	if resp.JSON200 == nil || resp.JSON200.Quantities == nil {
		return nil, fmt.Errorf("getExercise: %d %s", resp.StatusCode(), resp.Body)
	}
	fields := map[string]interface{}{}
	for _, q := range *resp.JSON200.Quantities {
		fields[q.Id] = "1"
	}
	return fields, nil
}

func submitNumeric(ctx context.Context, c *client.ClientWithResponses, course int64, exercise string, fields map[string]interface{}, r *report) error {
	wait := true
	resp, err := c.SubmitAnswerWithResponse(ctx, course, exercise, &client.SubmitAnswerParams{Wait: &wait},
		client.SubmitAnswerJSONRequestBody{Fields: &fields})
	if err != nil {
		return err
	}
	if resp.JSON200 == nil || resp.JSON200.Verdict == nil {
		return fmt.Errorf("submitAnswer (numeric): %d %s", resp.StatusCode(), resp.Body)
	}
	r.NumericStatus, r.NumericVerdict = string(resp.JSON200.Status), string(resp.JSON200.Verdict.Status)
	return nil
}

func submitCode(ctx context.Context, c *client.ClientWithResponses, course int64, exercise string, r *report) error {
	src := "package solution\n"
	resp, err := c.SubmitAnswerWithResponse(ctx, course, exercise, nil, client.SubmitAnswerJSONRequestBody{Code: &src})
	if err != nil {
		return err
	}
	if resp.JSON202 == nil {
		return fmt.Errorf("submitAnswer (code): %d %s", resp.StatusCode(), resp.Body)
	}
	r.AcceptedID, r.AcceptedStatus = resp.JSON202.Id, string(resp.JSON202.Status)
	r.Location = resp.HTTPResponse.Header.Get("Location")
	return nil
}

// poll GETs the Location, resolved against base, and reads it as getSubmission's answer.
func poll(ctx context.Context, base, location string, edit client.RequestEditorFn, r *report) error {
	b, err := url.Parse(base)
	if err != nil {
		return err
	}
	loc, err := b.Parse(location)
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, loc.String(), nil)
	if err != nil {
		return err
	}
	if err := edit(ctx, req); err != nil {
		return err
	}
	httpResp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	resp, err := client.ParseGetSubmissionResponse(httpResp)
	if err != nil {
		return err
	}
	if resp.JSON200 == nil {
		return fmt.Errorf("polling %s: %d %s", location, resp.StatusCode(), resp.Body)
	}
	r.PolledID, r.PolledStatus = resp.JSON200.Id, string(resp.JSON200.Status)
	return nil
}

// rateLimited submits until the server answers 429 (at most 100 times) and reads its Retry-After.
func rateLimited(ctx context.Context, c *client.ClientWithResponses, course int64, exercise string, fields map[string]interface{}, r *report) error {
	for range 100 {
		resp, err := c.SubmitAnswerWithResponse(ctx, course, exercise, nil, client.SubmitAnswerJSONRequestBody{Fields: &fields})
		if err != nil {
			return err
		}
		if resp.JSON429 != nil {
			r.RateLimitedCode = string(resp.JSON429.Error.Code)
			r.RetryAfter, err = strconv.Atoi(resp.HTTPResponse.Header.Get("Retry-After"))
			return err
		}
		if resp.JSON200 == nil {
			return fmt.Errorf("submitAnswer: %d %s", resp.StatusCode(), resp.Body)
		}
	}
	return fmt.Errorf("100 submissions and no 429")
}

func check(err error) {
	if err != nil {
		fail(err.Error())
	}
}

func fail(msg string) {
	fmt.Fprintln(os.Stderr, "clientcheck:", msg)
	os.Exit(1)
}
