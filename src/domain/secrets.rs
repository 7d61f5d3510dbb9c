//! Secrets every process on the database shares (the key that signs unsubscribe links), created
//! at random by the first process that asks for one.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use entity::server_secret;
use rand::RngCore;
use sea_orm::sea_query::OnConflict;
use sea_orm::{ActiveValue::Set, ConnectionTrait, DbErr, EntityTrait};

/// The secret called `name`: 32 random bytes, the same for every process.
pub async fn get_or_create(db: &impl ConnectionTrait, name: &str) -> Result<Vec<u8>, DbErr> {
    let mut fresh = [0u8; 32];
    rand::rng().fill_bytes(&mut fresh);
    // Of two processes starting at once, the first insert wins and both read it back.
    server_secret::Entity::insert(server_secret::ActiveModel {
        name: Set(name.to_owned()),
        value: Set(URL_SAFE_NO_PAD.encode(fresh)),
        created_at: Set(super::now()),
    })
    .on_conflict(
        OnConflict::column(server_secret::Column::Name)
            .do_nothing()
            .to_owned(),
    )
    .exec_without_returning(db)
    .await?;
    let stored = server_secret::Entity::find_by_id(name.to_owned())
        .one(db)
        .await?
        .ok_or_else(|| DbErr::RecordNotFound(format!("server secret {name}")))?;
    URL_SAFE_NO_PAD
        .decode(stored.value)
        .map_err(|err| DbErr::Custom(format!("server secret {name} is not base64: {err}")))
}
