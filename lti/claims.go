package lti

import (
	"encoding/json"
	"strings"

	"github.com/golang-jwt/jwt/v5"

	"gradjudge"
)

// Claim names of the LTI 1.3 core, Deep Linking 2.0, AGS 2.0 and NRPS 2.0 specifications.
const (
	claimPrefix           = "https://purl.imsglobal.org/spec/lti/claim/"
	claimMessageType      = claimPrefix + "message_type"
	claimVersion          = claimPrefix + "version"
	claimDeploymentID     = claimPrefix + "deployment_id"
	claimTargetLinkURI    = claimPrefix + "target_link_uri"
	claimResourceLink     = claimPrefix + "resource_link"
	claimRoles            = claimPrefix + "roles"
	claimContext          = claimPrefix + "context"
	claimCustom           = claimPrefix + "custom"
	claimDeepLinking      = "https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings"
	claimDeepLinkItems    = "https://purl.imsglobal.org/spec/lti-dl/claim/content_items"
	claimDeepLinkData     = "https://purl.imsglobal.org/spec/lti-dl/claim/data"
	claimAGS              = "https://purl.imsglobal.org/spec/lti-ags/claim/endpoint"
	claimNRPS             = "https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice"
	messageResourceLink   = "LtiResourceLinkRequest"
	messageDeepLinking    = "LtiDeepLinkingRequest"
	messageDeepLinkReturn = "LtiDeepLinkingResponse"
	ltiVersion            = "1.3.0"
)

// OAuth scopes of the services gradjudge uses.
const (
	ScopeScore      = "https://purl.imsglobal.org/spec/lti-ags/scope/score"
	ScopeLineItem   = "https://purl.imsglobal.org/spec/lti-ags/scope/lineitem"
	ScopeMembership = "https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly"
)

// idClaims are the claims of a platform's id_token that gradjudge reads.
type idClaims struct {
	jwt.RegisteredClaims
	Nonce         string         `json:"nonce"`
	AZP           string         `json:"azp"`
	Name          string         `json:"name"`
	GivenName     string         `json:"given_name"`
	FamilyName    string         `json:"family_name"`
	Email         string         `json:"email"`
	MessageType   string         `json:"https://purl.imsglobal.org/spec/lti/claim/message_type"`
	Version       string         `json:"https://purl.imsglobal.org/spec/lti/claim/version"`
	DeploymentID  string         `json:"https://purl.imsglobal.org/spec/lti/claim/deployment_id"`
	TargetLinkURI string         `json:"https://purl.imsglobal.org/spec/lti/claim/target_link_uri"`
	ResourceLink  *resourceLink  `json:"https://purl.imsglobal.org/spec/lti/claim/resource_link"`
	Roles         *[]string      `json:"https://purl.imsglobal.org/spec/lti/claim/roles"`
	Context       *contextClaim  `json:"https://purl.imsglobal.org/spec/lti/claim/context"`
	Custom        map[string]any `json:"https://purl.imsglobal.org/spec/lti/claim/custom"`
	DeepLinking   *deepLinking   `json:"https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings"`
	AGS           *agsClaim      `json:"https://purl.imsglobal.org/spec/lti-ags/claim/endpoint"`
	NRPS          *nrpsClaim     `json:"https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice"`
	// LaunchPresentation holds return_url, the LMS page the launch came from.
	LaunchPresentation map[string]any `json:"https://purl.imsglobal.org/spec/lti/claim/launch_presentation"`
}

type resourceLink struct {
	ID    string `json:"id"`
	Title string `json:"title"`
}

type contextClaim struct {
	ID    string `json:"id"`
	Label string `json:"label"`
	Title string `json:"title"`
}

type deepLinking struct {
	ReturnURL       string          `json:"deep_link_return_url"`
	AcceptTypes     []string        `json:"accept_types"`
	AcceptMultiple  *bool           `json:"accept_multiple"`
	AcceptLineItem  *bool           `json:"accept_lineitem"`
	Data            json.RawMessage `json:"data"`
	AcceptPresentTo []string        `json:"accept_presentation_document_targets"`
	Title           string          `json:"title"`
}

type agsClaim struct {
	Scope     []string `json:"scope"`
	LineItems string   `json:"lineitems"`
	LineItem  string   `json:"lineitem"`
}

// grants reports whether the launch granted scope.
func (a *agsClaim) grants(scope string) bool {
	if a == nil {
		return false
	}
	for _, s := range a.Scope {
		if s == scope {
			return true
		}
	}
	return false
}

type nrpsClaim struct {
	MembershipsURL string   `json:"context_memberships_url"`
	Versions       []string `json:"service_versions"`
}

// displayName is the user's name from the launch: name, or given and family name.
func (c *idClaims) displayName() string {
	if n := strings.TrimSpace(c.Name); n != "" {
		return n
	}
	return strings.TrimSpace(c.GivenName + " " + c.FamilyName)
}

// Context role URIs. LTI 1.3 sends full URIs; some platforms still send LTI 1.1's short names
// (Learner), read the same. Institution roles (institution/person#...) give no course access.
const (
	roleContext    = "http://purl.imsglobal.org/vocab/lis/v2/membership#"
	roleSubContext = "http://purl.imsglobal.org/vocab/lis/v2/membership/"
)

// CourseRole maps the LTI roles of a launch or a roster entry to a gradjudge course role:
// Instructor, ContentDeveloper and Administrator (of the context) are instructors,
// TeachingAssistant a TA, Learner a student; the highest wins. A TA comes as Instructor with the
// sub-role Instructor#TeachingAssistant (LTI sends a sub-role with its principal role), so the
// TA role takes the place of a plain Instructor. No known role gives the empty role: a Mentor or
// an observer gets no access.
func CourseRole(roles []string) gradjudge.CourseRole {
	var got gradjudge.CourseRole
	rank := map[gradjudge.CourseRole]int{"": 0, gradjudge.CourseStudent: 1, gradjudge.CourseTA: 2, gradjudge.CourseInstructor: 3}
	ta, designer := false, false
	for _, r := range roles {
		c, main := mapRole(r)
		ta = ta || c == gradjudge.CourseTA
		designer = designer || (c == gradjudge.CourseInstructor && main != "Instructor")
		if rank[c] > rank[got] {
			got = c
		}
	}
	if got == gradjudge.CourseInstructor && ta && !designer {
		return gradjudge.CourseTA
	}
	return got
}

// mapRole maps one role URI (or LTI 1.1 short name) to a course role and its principal name.
func mapRole(r string) (gradjudge.CourseRole, string) {
	if rest, ok := strings.CutPrefix(r, roleSubContext); ok {
		if strings.HasSuffix(rest, "#TeachingAssistant") {
			return gradjudge.CourseTA, "TeachingAssistant"
		}
		return "", "" // other sub-roles (Instructor#Grader) say no more than their principal role, sent too
	}
	name := strings.TrimPrefix(r, roleContext)
	switch name {
	case "Instructor", "ContentDeveloper", "Administrator":
		return gradjudge.CourseInstructor, name
	case "TeachingAssistant":
		return gradjudge.CourseTA, name
	case "Learner":
		return gradjudge.CourseStudent, name
	}
	return "", ""
}
