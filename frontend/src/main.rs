//! 后续扶持 web app: the start-up that mounts the Leptos app into `#app` of index.html.

mod api;
mod app;
mod components;
mod dates;
mod ledger;
mod navigation;
mod pages;

use leptos::prelude::*;
use wasm_bindgen::JsCast as _;

fn main() {
    console_error_panic_hook::set_once();
    let root = document()
        .get_element_by_id("app")
        .and_then(|element| element.dyn_into::<leptos::web_sys::HtmlElement>().ok());
    match root {
        Some(root) => {
            // Replace index.html's app shell, keeping what was typed into its sign-in form.
            pages::keep_shell_input(&root);
            root.set_text_content(None);
            leptos::mount::mount_to(root, app::App).forget();
        }
        None => leptos::mount::mount_to_body(app::App),
    }
}
