//! The default access policy (from the bureau duties of A7§2) and the demo accounts, loaded
//! into a new database; and the bootstrap of a production administrator.
use sea_orm::sea_query::{Alias, Query};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

use super::administration::{create_user, NewUser};
use super::entities::{role, user};

/// The one password of every demo account. Demo data only: never in production.
pub const DEMO_PASSWORD: &str = "Demo#2026-houxu";

/// Writes the data domains and the default policy rows (default deny: no row, no access).
pub async fn load_default_policy(db: &impl ConnectionTrait) -> anyhow::Result<()> {
    for domain in auth::policy::DataDomain::ALL {
        let statement = Query::insert()
            .into_table(Alias::new("data_domain"))
            .columns([
                Alias::new("code"),
                Alias::new("name"),
                Alias::new("sensitive"),
                Alias::new("description"),
            ])
            .values_panic([
                domain.code().into(),
                domain.label_zh().into(),
                domain.is_sensitive().into(),
                "".into(),
            ])
            .to_owned();
        db.execute(db.get_database_backend().build(&statement))
            .await?;
    }
    let roles = role::Entity::find().all(db).await?;
    for row in auth::policy::default_policy() {
        let Some(role) = roles.iter().find(|role| role.code == row.role_code) else {
            anyhow::bail!(
                "the default policy names role {} which the reference data lacks",
                row.role_code
            );
        };
        let statement = Query::insert()
            .into_table(Alias::new("role_domain_permission"))
            .columns([
                Alias::new("role_id"),
                Alias::new("domain"),
                Alias::new("can_read"),
                Alias::new("can_write"),
                Alias::new("can_read_sensitive"),
            ])
            .values_panic([
                role.id.into(),
                row.domain.code().into(),
                row.can_read.into(),
                row.can_write.into(),
                (row.can_read && row.domain.is_sensitive()).into(),
            ])
            .to_owned();
        db.execute(db.get_database_backend().build(&statement))
            .await?;
    }
    Ok(())
}

/// The username of a role's demo account: its code with `:` and `.` as `_`.
pub fn demo_username(role_code: &str) -> String {
    role_code.replace([':', '.'], "_")
}

/// One demo account per role, all with [`DEMO_PASSWORD`] (hashed once). Returns the usernames.
pub async fn create_demo_accounts(db: &impl ConnectionTrait) -> anyhow::Result<Vec<String>> {
    let hash = auth::password::hash_password(DEMO_PASSWORD)
        .map_err(|error| anyhow::anyhow!("cannot hash the demo password: {error}"))?;
    let mut usernames = Vec::new();
    for role in role::Entity::find().all(db).await? {
        let username = demo_username(&role.code);
        create_user(
            db,
            NewUser {
                username: &username,
                display_name: &format!("演示账号 · {}", role.name),
                password_hash: &hash,
                must_change_password: false,
                role_ids: &[role.id],
                actor: None,
            },
        )
        .await?;
        usernames.push(username);
    }
    Ok(usernames)
}

/// Creates an administrator with a generated password that must be changed at first sign-in.
pub async fn bootstrap_admin(
    db: &impl ConnectionTrait,
    username: &str,
    role_code: &str,
) -> anyhow::Result<String> {
    if !["system_admin", "security_admin", "auditor"].contains(&role_code) {
        anyhow::bail!("--role must be system_admin, security_admin or auditor, not {role_code:?}");
    }
    let Some(role) = role::Entity::find()
        .filter(role::Column::Code.eq(role_code))
        .one(db)
        .await?
    else {
        anyhow::bail!("role {role_code} is missing: is the database migrated and seeded?");
    };
    if user::Entity::find()
        .filter(user::Column::Username.eq(username))
        .one(db)
        .await?
        .is_some()
    {
        anyhow::bail!("a user named {username:?} already exists");
    }
    let password = auth::password::generate_password();
    let hash = auth::password::hash_password(&password)
        .map_err(|error| anyhow::anyhow!("cannot hash the password: {error}"))?;
    create_user(
        db,
        NewUser {
            username,
            display_name: username,
            password_hash: &hash,
            must_change_password: true,
            role_ids: &[role.id],
            actor: None,
        },
    )
    .await?;
    Ok(password)
}
