//! Placeholder for the public_services API (issue 5); replaced by the real module.
use async_graphql::Object;

#[derive(Default)]
pub struct PublicServicesQuery;

#[Object]
impl PublicServicesQuery {
    async fn public_services_placeholder(&self) -> bool {
        false
    }
}

#[derive(Default)]
pub struct PublicServicesMutation;

#[Object]
impl PublicServicesMutation {
    async fn public_services_placeholder(&self) -> bool {
        false
    }
}
