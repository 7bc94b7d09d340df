//! Placeholder for the self_government API (issue 5); replaced by the real module.
use async_graphql::Object;

#[derive(Default)]
pub struct SelfGovernmentQuery;

#[Object]
impl SelfGovernmentQuery {
    async fn self_government_placeholder(&self) -> bool {
        false
    }
}

#[derive(Default)]
pub struct SelfGovernmentMutation;

#[Object]
impl SelfGovernmentMutation {
    async fn self_government_placeholder(&self) -> bool {
        false
    }
}
