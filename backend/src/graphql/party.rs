//! Placeholder for the party API (issue 5); replaced by the real module.
use async_graphql::Object;

#[derive(Default)]
pub struct PartyQuery;

#[Object]
impl PartyQuery {
    async fn party_placeholder(&self) -> bool {
        false
    }
}

#[derive(Default)]
pub struct PartyMutation;

#[Object]
impl PartyMutation {
    async fn party_placeholder(&self) -> bool {
        false
    }
}
