//! Placeholder for the industry API (issue 5); replaced by the real module.
use async_graphql::Object;

#[derive(Default)]
pub struct IndustryQuery;

#[Object]
impl IndustryQuery {
    async fn industry_placeholder(&self) -> bool {
        false
    }
}

#[derive(Default)]
pub struct IndustryMutation;

#[Object]
impl IndustryMutation {
    async fn industry_placeholder(&self) -> bool {
        false
    }
}
