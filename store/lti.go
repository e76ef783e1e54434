package store

import (
	"context"
	"strings"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"gradjudge"
)

// ltiPlatformRow is a row of lti_platforms.
type ltiPlatformRow struct {
	ID            int64 `gorm:"primaryKey"`
	Issuer        string
	ClientID      string
	AuthLoginURL  string
	TokenURL      string
	JWKSURL       string `gorm:"column:jwks_url"`
	TokenAudience string
	CreatedAt     time.Time
}

func (ltiPlatformRow) TableName() string { return "lti_platforms" }

// ltiDeploymentRow is a row of lti_deployments.
type ltiDeploymentRow struct {
	PlatformID   int64  `gorm:"primaryKey;autoIncrement:false"`
	DeploymentID string `gorm:"primaryKey"`
}

func (ltiDeploymentRow) TableName() string { return "lti_deployments" }

// ltiKeyRow is a row of lti_keys.
type ltiKeyRow struct {
	KID        string `gorm:"primaryKey;column:kid"`
	PrivatePEM string `gorm:"column:private_pem"`
	Active     *int
	CreatedAt  time.Time
	RetiredAt  *time.Time
}

func (ltiKeyRow) TableName() string { return "lti_keys" }

func (r ltiKeyRow) key() gradjudge.LTIKey {
	return gradjudge.LTIKey{KID: r.KID, PrivatePEM: []byte(r.PrivatePEM), CreatedAt: utc(r.CreatedAt), RetiredAt: utcPtr(r.RetiredAt)}
}

// CreateLTIPlatform registers p (its ID and CreatedAt are ignored) with its deployments.
// EINVALID when p does not validate; ECONFLICT when (issuer, client_id) is registered already.
func (db *DB) CreateLTIPlatform(ctx context.Context, p gradjudge.LTIPlatform) (gradjudge.LTIPlatform, error) {
	const op = "store.CreateLTIPlatform"
	if err := p.Validate(); err != nil {
		return gradjudge.LTIPlatform{}, err
	}
	row := ltiPlatformRow{Issuer: p.Issuer, ClientID: p.ClientID, AuthLoginURL: p.AuthLoginURL, TokenURL: p.TokenURL,
		JWKSURL: p.JWKSURL, TokenAudience: p.TokenAudience, CreatedAt: db.now()}
	err := db.tx(ctx, func(tx *gorm.DB) error {
		if err := tx.Create(&row).Error; err != nil {
			return err
		}
		return addDeployments(tx, row.ID, p.DeploymentIDs)
	})
	if err != nil {
		return gradjudge.LTIPlatform{}, dbError(op, "a platform with this issuer and client_id", err)
	}
	return db.LTIPlatformByID(ctx, row.ID)
}

// AddLTIDeployments adds deployment ids to platform id; ids it has already are kept.
// ENOTFOUND for an unknown platform.
func (db *DB) AddLTIDeployments(ctx context.Context, id int64, deploymentIDs []string) error {
	const op = "store.AddLTIDeployments"
	for _, d := range deploymentIDs {
		if d == "" || len(d) > gradjudge.MaxLTIIdentifier {
			return invalid(op, "a deployment id must be 1 to %d characters", gradjudge.MaxLTIIdentifier)
		}
	}
	return db.tx(ctx, func(tx *gorm.DB) error {
		if err := tx.Take(&ltiPlatformRow{}, id).Error; err != nil {
			return dbError(op, "platform", err)
		}
		return dbError(op, "", addDeployments(tx, id, deploymentIDs))
	})
}

func addDeployments(tx *gorm.DB, platformID int64, ids []string) error {
	for _, d := range ids {
		row := ltiDeploymentRow{PlatformID: platformID, DeploymentID: d}
		if err := tx.Clauses(clause.OnConflict{DoNothing: true}).Create(&row).Error; err != nil {
			return err
		}
	}
	return nil
}

// LTIPlatformByID returns the platform with id; ENOTFOUND when there is none.
func (db *DB) LTIPlatformByID(ctx context.Context, id int64) (gradjudge.LTIPlatform, error) {
	var row ltiPlatformRow
	if err := db.read.WithContext(ctx).Take(&row, id).Error; err != nil {
		return gradjudge.LTIPlatform{}, dbError("store.LTIPlatformByID", "platform", err)
	}
	return db.withDeployments(ctx, row)
}

// LTIPlatform returns the platform registered as (issuer, clientID); ENOTFOUND when there is none.
func (db *DB) LTIPlatform(ctx context.Context, issuer, clientID string) (gradjudge.LTIPlatform, error) {
	var row ltiPlatformRow
	err := db.read.WithContext(ctx).Where("issuer = ? AND client_id = ?", issuer, clientID).Take(&row).Error
	if err != nil {
		return gradjudge.LTIPlatform{}, dbError("store.LTIPlatform", "platform", err)
	}
	return db.withDeployments(ctx, row)
}

// LTIPlatformsByIssuer lists the platforms registered with issuer, by id: a login initiation
// that names no client_id matches only when there is exactly one.
func (db *DB) LTIPlatformsByIssuer(ctx context.Context, issuer string) ([]gradjudge.LTIPlatform, error) {
	return db.ltiPlatforms(ctx, "issuer = ?", issuer)
}

// LTIPlatforms lists every registered platform by id.
func (db *DB) LTIPlatforms(ctx context.Context) ([]gradjudge.LTIPlatform, error) {
	return db.ltiPlatforms(ctx, "1 = 1")
}

func (db *DB) ltiPlatforms(ctx context.Context, where string, args ...any) ([]gradjudge.LTIPlatform, error) {
	var rows []ltiPlatformRow
	if err := db.read.WithContext(ctx).Where(where, args...).Order("id").Find(&rows).Error; err != nil {
		return nil, dbError("store.LTIPlatforms", "", err)
	}
	out := make([]gradjudge.LTIPlatform, 0, len(rows))
	for _, r := range rows {
		p, err := db.withDeployments(ctx, r)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, nil
}

func (db *DB) withDeployments(ctx context.Context, r ltiPlatformRow) (gradjudge.LTIPlatform, error) {
	p := gradjudge.LTIPlatform{ID: r.ID, Issuer: r.Issuer, ClientID: r.ClientID, AuthLoginURL: r.AuthLoginURL,
		TokenURL: r.TokenURL, JWKSURL: r.JWKSURL, TokenAudience: r.TokenAudience, CreatedAt: utc(r.CreatedAt)}
	err := db.read.WithContext(ctx).Model(&ltiDeploymentRow{}).Where("platform_id = ?", r.ID).
		Order("deployment_id").Pluck("deployment_id", &p.DeploymentIDs).Error
	return p, dbError("store.LTIPlatform", "", err)
}

// RemoveLTIPlatform deletes platform id with its deployments, context and link mappings and
// queued scores. The users and courses its launches made stay. ENOTFOUND for an unknown id.
func (db *DB) RemoveLTIPlatform(ctx context.Context, id int64) error {
	const op = "store.RemoveLTIPlatform"
	res := db.gorm.WithContext(ctx).Delete(&ltiPlatformRow{}, id)
	if res.Error == nil && res.RowsAffected == 0 {
		return notFound(op, "platform")
	}
	return dbError(op, "", res.Error)
}

// LTIKeys lists the tool's signing keys, the active one first, then every retired one
// retired after since (older ones are no longer published).
func (db *DB) LTIKeys(ctx context.Context, since time.Time) ([]gradjudge.LTIKey, error) {
	var rows []ltiKeyRow
	err := db.gorm.WithContext(ctx).Where("retired_at IS NULL OR retired_at > ?", since.UTC()).
		Order("retired_at IS NOT NULL, created_at DESC, kid").Find(&rows).Error
	if err != nil {
		return nil, dbError("store.LTIKeys", "", err)
	}
	keys := make([]gradjudge.LTIKey, len(rows))
	for i, r := range rows {
		keys[i] = r.key()
	}
	return keys, nil
}

// AddLTIKey stores k as the active signing key. With rotate false it adds k only when there is
// no active key (first start: two processes starting at once keep one key) and reports whether
// k became active; with rotate true the active key, if any, is retired now in the same
// transaction.
func (db *DB) AddLTIKey(ctx context.Context, k gradjudge.LTIKey, rotate bool) (bool, error) {
	const op = "store.AddLTIKey"
	if strings.TrimSpace(k.KID) == "" || len(k.PrivatePEM) == 0 {
		return false, invalid(op, "a key needs a kid and a private key")
	}
	one := 1
	row := ltiKeyRow{KID: k.KID, PrivatePEM: string(k.PrivatePEM), Active: &one, CreatedAt: db.now()}
	err := db.tx(ctx, func(tx *gorm.DB) error {
		if rotate {
			err := tx.Model(&ltiKeyRow{}).Where("active = 1").
				Updates(map[string]any{"active": nil, "retired_at": row.CreatedAt}).Error
			if err != nil {
				return err
			}
		}
		return tx.Create(&row).Error
	})
	if isDuplicate(err) && !rotate {
		return false, nil
	}
	return err == nil, dbError(op, "key", err)
}
