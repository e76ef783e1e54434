package main

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"text/tabwriter"

	"gradjudge"
	"gradjudge/api"
	"gradjudge/internal/app"
	"gradjudge/lti"
	"gradjudge/store"
	"gradjudge/web"
)

func runLTI(ctx context.Context, s stdio, args []string) int {
	return runGroup(ctx, s, "usage: gradjudge lti add-platform --issuer I --client-id C --auth-login-url U --token-url U --jwks-url U --deployment-ids D[,D...] [--token-audience A]\n"+
		"       gradjudge lti list-platforms\n"+
		"       gradjudge lti remove-platform --id N\n"+
		"       gradjudge lti rotate-key",
		map[string]func(context.Context, stdio, []string) int{
			"add-platform": runLTIAdd, "list-platforms": runLTIList, "remove-platform": runLTIRemove, "rotate-key": runLTIRotate,
		}, args)
}

func runLTIAdd(ctx context.Context, s stdio, args []string) int {
	c := newDBConfig("lti", toolMaxConns)
	var p gradjudge.LTIPlatform
	fs := newFlagSet(s, "lti add-platform", "[flags]", `
Registers an LMS as an LTI 1.3 platform, with the values its tool registration shows. A
registration is keyed on (issuer, client_id): hosted Canvas uses one issuer for every school.`)
	dbFlags(fs, &c)
	fs.StringVar(&p.Issuer, "issuer", "", "the platform's issuer (iss), e.g. https://canvas.instructure.com")
	fs.StringVar(&p.ClientID, "client-id", "", "the client id the platform gave the tool")
	fs.StringVar(&p.AuthLoginURL, "auth-login-url", "", "the platform's OIDC authorization endpoint")
	fs.StringVar(&p.TokenURL, "token-url", "", "the platform's OAuth 2 token endpoint")
	fs.StringVar(&p.JWKSURL, "jwks-url", "", "the platform's public key set (JWKS) URL")
	fs.StringVar(&p.TokenAudience, "token-audience", "", "the aud of client assertions when it is not the token URL (Brightspace)")
	fs.Var(&listFlag{list: &p.DeploymentIDs}, "deployment-ids", "comma-separated `list` of deployment ids that may launch the tool")
	if code, ok := parseCommand(s, "lti add-platform", fs, args); !ok {
		return code
	}
	return cliRun(s, "lti add-platform", withDB(ctx, c, func(db *store.DB) error {
		got, err := db.CreateLTIPlatform(ctx, p)
		if err == nil {
			fmt.Fprintf(s.out, "platform %d registered: %s client %s, deployments %s\n", got.ID, got.Issuer, got.ClientID, strings.Join(got.DeploymentIDs, ","))
		}
		return err
	}))
}

func runLTIList(ctx context.Context, s stdio, args []string) int {
	c := newDBConfig("lti", toolMaxConns)
	fs := newFlagSet(s, "lti list-platforms", "[flags]", "Lists the registered LTI platforms.")
	dbFlags(fs, &c)
	if code, ok := parseCommand(s, "lti list-platforms", fs, args); !ok {
		return code
	}
	return cliRun(s, "lti list-platforms", withDB(ctx, c, func(db *store.DB) error {
		ps, err := db.LTIPlatforms(ctx)
		if err != nil {
			return err
		}
		tw := tabwriter.NewWriter(s.out, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "ID\tISSUER\tCLIENT_ID\tDEPLOYMENTS\tTOKEN_URL\tTOKEN_AUDIENCE")
		for _, p := range ps {
			fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\n", p.ID, p.Issuer, p.ClientID, strings.Join(p.DeploymentIDs, ","), p.TokenURL, p.TokenAudience)
		}
		return tw.Flush()
	}))
}

func runLTIRemove(ctx context.Context, s stdio, args []string) int {
	c := newDBConfig("lti", toolMaxConns)
	var id int64
	fs := newFlagSet(s, "lti remove-platform", "--id N", `
Removes a platform registration, its deployments and its queued scores. The users and courses
its launches made stay.`)
	dbFlags(fs, &c)
	fs.Int64Var(&id, "id", 0, "the platform's id, from list-platforms")
	if code, ok := parseCommand(s, "lti remove-platform", fs, args); !ok {
		return code
	}
	return cliRun(s, "lti remove-platform", withDB(ctx, c, func(db *store.DB) error {
		err := db.RemoveLTIPlatform(ctx, id)
		if err == nil {
			fmt.Fprintf(s.out, "platform %d removed\n", id)
		}
		return err
	}))
}

func runLTIRotate(ctx context.Context, s stdio, args []string) int {
	c := newDBConfig("lti", toolMaxConns)
	fs := newFlagSet(s, "lti rotate-key", "[flags]", `
Makes a new signing key for the tool and retires the current one, which stays published at
/.well-known/jwks.json until the last signature it made has expired.`)
	dbFlags(fs, &c)
	if code, ok := parseCommand(s, "lti rotate-key", fs, args); !ok {
		return code
	}
	return cliRun(s, "lti rotate-key", withDB(ctx, c, func(db *store.DB) error {
		kid, err := lti.NewKeys(db, nil).Rotate(ctx)
		if err == nil {
			fmt.Fprintf(s.out, "new signing key %s; the old one stays published for %s\n", kid, lti.RetiredKeyPublished)
		}
		return err
	}))
}

// cliRun prints err, if any, as cmd's failure and returns the exit code.
func cliRun(s stdio, cmd string, err error) int {
	if err != nil {
		fmt.Fprintf(s.err, "gradjudge %s: %s\n", cmd, cliMessage(err))
		return 1
	}
	return 0
}

// ltiRuntime is the LTI tool of serve and its workers.
type ltiRuntime struct {
	tool   *lti.Tool
	cancel context.CancelFunc
	wg     sync.WaitGroup
}

// admins adapts the API's authentication to lti.Admins.
type admins struct{ srv *api.Server }

func (a admins) Admin(r *http.Request) (gradjudge.User, error) {
	u, err := a.srv.Authenticate(r)
	if err == nil && u.Role != gradjudge.RoleAdmin {
		err = gradjudge.Errorf(gradjudge.EFORBIDDEN, "only an admin registers LTI platforms")
	}
	return u, err
}

// startLTI builds the LTI tool over the database and the pages' session, and starts its score
// passback and daily roster workers. They run in every serve process, --no-workers too (that flag
// is about judging): they only wait on the LMS, and the outbox's leases keep two processes from
// sending one score.
func (m *Main) startLTI(ctx context.Context, cat gradjudge.Catalog, core *app.App, pages *web.Handler, srv *api.Server) (*ltiRuntime, error) {
	tool, err := lti.New(ctx, lti.Config{BaseURL: m.Config.PublicURL, Platforms: m.DB, Keys: m.DB, Once: m.DB,
		Directory: m.DB, Outbox: m.DB, Sessions: pages, Access: core, Catalog: cat, Admins: admins{srv},
		Logger: m.log, Now: m.Now})
	if err != nil {
		return nil, err
	}
	rt := &ltiRuntime{tool: tool}
	wctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	rt.cancel = cancel
	rt.wg.Add(2)
	go func() { defer rt.wg.Done(); tool.RunOutbox(wctx, 0) }()
	go func() { defer rt.wg.Done(); tool.RunRosters(wctx) }()
	return rt, nil
}

// close stops the workers and the tool.
func (rt *ltiRuntime) close() error {
	rt.cancel()
	rt.wg.Wait()
	return rt.tool.Close()
}
