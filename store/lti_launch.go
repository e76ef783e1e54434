package store

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"gradjudge"
)

// ltiIdentityRow is a row of lti_identities: the user an (issuer, sub) is.
type ltiIdentityRow struct {
	Issuer  string `gorm:"primaryKey"`
	Subject string `gorm:"primaryKey"`
	UserID  int64
}

func (ltiIdentityRow) TableName() string { return "lti_identities" }

// ltiContextRow is a row of lti_contexts.
type ltiContextRow struct {
	PlatformID     int64  `gorm:"primaryKey;autoIncrement:false"`
	ContextID      string `gorm:"primaryKey"`
	CourseID       int64
	MembershipsURL string
}

func (ltiContextRow) TableName() string { return "lti_contexts" }

// ltiResourceLinkRow is a row of lti_resource_links.
type ltiResourceLinkRow struct {
	PlatformID     int64  `gorm:"primaryKey;autoIncrement:false"`
	ResourceLinkID string `gorm:"primaryKey"`
	CourseID       int64
	ExerciseID     string
	LineitemURL    string
}

func (ltiResourceLinkRow) TableName() string { return "lti_resource_links" }

// ltiOnceRow is a row of lti_once.
type ltiOnceRow struct {
	Kind      string `gorm:"primaryKey"`
	Value     string `gorm:"primaryKey"`
	Payload   string
	ExpiresAt time.Time
}

func (ltiOnceRow) TableName() string { return "lti_once" }

// ltiEmailDomain holds the placeholder addresses of LMS users whose platform gave no email, or
// an email another account has: .invalid is reserved and never delivers.
const ltiEmailDomain = "lti.invalid"

// LTIUser returns the user that (issuer, sub) is, creating it on the first launch, and updates
// its name and email from the launch when they are given. An LMS user gets no password: they
// sign in through their LMS only. An email another account has already is not taken over (an
// LMS cannot claim a local account by naming its email): the user keeps a placeholder address.
func (db *DB) LTIUser(ctx context.Context, issuer, sub, name, email string) (gradjudge.User, error) {
	const op = "store.LTIUser"
	if issuer == "" || sub == "" {
		return gradjudge.User{}, invalid(op, "an LMS user needs an issuer and a sub")
	}
	name = strings.TrimSpace(name)
	mail, ok := normalizeEmail(email)
	var u userRow
	err := db.tx(ctx, func(tx *gorm.DB) error {
		var id ltiIdentityRow
		err := tx.Where("issuer = ? AND subject = ?", issuer, sub).Take(&id).Error
		switch {
		case isNotFound(err):
			return db.createLTIUser(tx, &u, issuer, sub, name, mail, ok)
		case err != nil:
			return err
		}
		if err := tx.Take(&u, id.UserID).Error; err != nil {
			return err
		}
		return updateLTIUser(tx, &u, name, mail, ok)
	})
	if err != nil {
		return gradjudge.User{}, dbError(op, "user", err)
	}
	return u.user(), nil
}

func (db *DB) createLTIUser(tx *gorm.DB, u *userRow, issuer, sub, name, email string, hasEmail bool) error {
	if !hasEmail || emailTaken(tx, email, 0) {
		email = placeholderEmail(issuer, sub)
	}
	if name == "" {
		name = "LMS user"
	}
	*u = userRow{Email: email, Name: name, Role: string(gradjudge.RoleStudent), CreatedAt: db.now()}
	if err := tx.Create(u).Error; err != nil {
		return err
	}
	return tx.Create(&ltiIdentityRow{Issuer: issuer, Subject: sub, UserID: u.ID}).Error
}

func updateLTIUser(tx *gorm.DB, u *userRow, name, email string, hasEmail bool) error {
	changes := map[string]any{}
	if name != "" && name != u.Name {
		changes["name"], u.Name = name, name
	}
	if hasEmail && email != u.Email && !emailTaken(tx, email, u.ID) {
		changes["email"], u.Email = email, email
	}
	if len(changes) == 0 {
		return nil
	}
	return tx.Model(&userRow{}).Where("id = ?", u.ID).Updates(changes).Error
}

// emailTaken reports whether a user other than self has email.
func emailTaken(tx *gorm.DB, email string, self int64) bool {
	var n int64
	tx.Model(&userRow{}).Where("email = ? AND id <> ?", email, self).Count(&n)
	return n > 0
}

// placeholderEmail is a stable, unique address for (issuer, sub) in ltiEmailDomain.
func placeholderEmail(issuer, sub string) string {
	sum := sha256.Sum256([]byte(issuer + "\x00" + sub))
	return "lms-" + hex.EncodeToString(sum[:10]) + "@" + ltiEmailDomain
}

// LTIUserSub returns the sub user userID has on the platforms of issuer; ENOTFOUND when the user
// never came from there.
func (db *DB) LTIUserSub(ctx context.Context, issuer string, userID int64) (string, error) {
	var subs []string
	err := db.read.WithContext(ctx).Model(&ltiIdentityRow{}).Where("issuer = ? AND user_id = ?", issuer, userID).
		Limit(1).Pluck("subject", &subs).Error
	if err == nil && len(subs) == 0 {
		return "", notFound("store.LTIUserSub", "LMS identity")
	}
	return strings.Join(subs, ""), dbError("store.LTIUserSub", "", err)
}

// LTICourse returns the course of context c on its platform, creating it with title on the
// first launch. The creator is recorded as CreatedBy and is not enrolled: the caller enrols
// them with the role their LMS gave. c.MembershipsURL, when set, replaces the stored one. Two
// first launches at once make one course.
func (db *DB) LTICourse(ctx context.Context, c gradjudge.LTIContext, title string, creator int64) (gradjudge.Course, error) {
	const op = "store.LTICourse"
	if title = strings.TrimSpace(title); title == "" {
		title = "LMS course " + c.ContextID
	}
	var courseID int64
	err := db.tx(ctx, func(tx *gorm.DB) error {
		var row ltiContextRow
		err := tx.Where("platform_id = ? AND context_id = ?", c.PlatformID, c.ContextID).Take(&row).Error
		if err == nil {
			courseID = row.CourseID
			if c.MembershipsURL != "" && c.MembershipsURL != row.MembershipsURL {
				return tx.Model(&row).Update("memberships_url", c.MembershipsURL).Error
			}
			return nil
		}
		if !isNotFound(err) {
			return err
		}
		course := courseRow{Title: title, CreatedBy: creator, CreatedAt: db.now()}
		if err := tx.Create(&course).Error; err != nil {
			return err
		}
		courseID = course.ID
		return tx.Create(&ltiContextRow{PlatformID: c.PlatformID, ContextID: c.ContextID, CourseID: course.ID,
			MembershipsURL: c.MembershipsURL}).Error
	})
	if isDuplicate(err) { // PostgreSQL: a concurrent first launch made it
		return db.LTICourse(ctx, c, title, creator)
	}
	if err != nil {
		return gradjudge.Course{}, dbError(op, "course", err)
	}
	return db.Course(ctx, courseID)
}

// LTIContexts lists the mapped contexts that have an NRPS endpoint: the rosters to sync.
func (db *DB) LTIContexts(ctx context.Context) ([]gradjudge.LTIContext, error) {
	var rows []ltiContextRow
	if err := db.read.WithContext(ctx).Where("memberships_url <> ''").Order("course_id").Find(&rows).Error; err != nil {
		return nil, dbError("store.LTIContexts", "", err)
	}
	out := make([]gradjudge.LTIContext, len(rows))
	for i, r := range rows {
		out[i] = gradjudge.LTIContext{PlatformID: r.PlatformID, ContextID: r.ContextID, CourseID: r.CourseID, MembershipsURL: r.MembershipsURL}
	}
	return out, nil
}

// LTIContextOf returns the context course courseID came from; ENOTFOUND for a course no LMS made.
func (db *DB) LTIContextOf(ctx context.Context, courseID int64) (gradjudge.LTIContext, error) {
	var r ltiContextRow
	if err := db.read.WithContext(ctx).Where("course_id = ?", courseID).Take(&r).Error; err != nil {
		return gradjudge.LTIContext{}, dbError("store.LTIContextOf", "LMS course", err)
	}
	return gradjudge.LTIContext{PlatformID: r.PlatformID, ContextID: r.ContextID, CourseID: r.CourseID, MembershipsURL: r.MembershipsURL}, nil
}

// LTIEnroll gives user userID the role in the course, as their LMS says, replacing any role they
// had. The LMS owns an LTI course's roster, so the rule that keeps a course's last instructor
// (Enroll) does not stop it: the LMS knows who teaches.
func (db *DB) LTIEnroll(ctx context.Context, courseID, userID int64, role gradjudge.CourseRole) error {
	const op = "store.LTIEnroll"
	if !role.Valid() {
		return invalid(op, "course role %q is not student, ta or instructor", role)
	}
	e := enrollmentRow{CourseID: courseID, UserID: userID, Role: string(role), CreatedAt: db.now()}
	err := db.gorm.WithContext(ctx).Clauses(clause.OnConflict{
		Columns:   []clause.Column{{Name: "course_id"}, {Name: "user_id"}},
		DoUpdates: clause.AssignmentColumns([]string{"role"}),
	}).Create(&e).Error
	if isForeignKey(err) {
		return notFound(op, "course or user")
	}
	return dbError(op, "", err)
}

// SaveLTIResourceLink records l, replacing what was known of the same (platform, resource link).
func (db *DB) SaveLTIResourceLink(ctx context.Context, l gradjudge.LTIResourceLink) error {
	row := ltiResourceLinkRow{PlatformID: l.PlatformID, ResourceLinkID: l.ResourceLinkID, CourseID: l.CourseID,
		ExerciseID: l.ExerciseID, LineitemURL: l.LineItemURL}
	err := db.gorm.WithContext(ctx).Clauses(clause.OnConflict{
		Columns:   []clause.Column{{Name: "platform_id"}, {Name: "resource_link_id"}},
		DoUpdates: clause.AssignmentColumns([]string{"course_id", "exercise_id", "lineitem_url"}),
	}).Create(&row).Error
	return dbError("store.SaveLTIResourceLink", "", err)
}

// PutOnce stores value of kind with payload until expires: a value to be taken once.
func (db *DB) PutOnce(ctx context.Context, kind, value, payload string, expires time.Time) error {
	now := db.now()
	err := db.tx(ctx, func(tx *gorm.DB) error {
		// Expired values are swept here, so the table stays small without a job of its own.
		if err := tx.Where("expires_at <= ?", now).Delete(&ltiOnceRow{}).Error; err != nil {
			return err
		}
		return tx.Create(&ltiOnceRow{Kind: kind, Value: value, Payload: payload, ExpiresAt: expires.UTC()}).Error
	})
	return dbError("store.PutOnce", "value", err)
}

// TakeOnce returns the payload of value of kind and deletes it, so that nobody takes it again.
// ENOTFOUND when there is no such value, it was taken, or it expired.
func (db *DB) TakeOnce(ctx context.Context, kind, value string) (string, error) {
	const op = "store.TakeOnce"
	var row ltiOnceRow
	err := db.tx(ctx, func(tx *gorm.DB) error {
		if err := tx.Where("kind = ? AND value = ?", kind, value).Take(&row).Error; err != nil {
			return err
		}
		res := tx.Where("kind = ? AND value = ?", kind, value).Delete(&ltiOnceRow{})
		if res.Error == nil && res.RowsAffected != 1 {
			return gorm.ErrRecordNotFound // taken meanwhile
		}
		return res.Error
	})
	if err == nil && !db.now().Before(row.ExpiresAt) {
		err = gorm.ErrRecordNotFound
	}
	if err != nil {
		return "", dbError(op, "value", err)
	}
	return row.Payload, nil
}
