//! Placeholder for the land API (issue 5); replaced by the real module.
use async_graphql::Object;

#[derive(Default)]
pub struct LandQuery;

#[Object]
impl LandQuery {
    async fn land_placeholder(&self) -> bool {
        false
    }
}

#[derive(Default)]
pub struct LandMutation;

#[Object]
impl LandMutation {
    async fn land_placeholder(&self) -> bool {
        false
    }
}
