//! (tests only) index.html's app shell against the app it stands in for.

/// index.html's static sign-in form must stay the twin of the one the app renders, or the
/// page jumps when the app replaces it: every class, attribute value and text of the shell's
/// form must appear in frontend/src/pages/login.rs (and the shell must not carry the
/// data-testid attributes that the browser tests wait for).
#[test]
fn the_static_sign_in_form_of_index_html_matches_the_login_page() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let html = std::fs::read_to_string(root.join("frontend/static/index.html")).unwrap();
    let login = std::fs::read_to_string(root.join("frontend/src/pages/login.rs")).unwrap();
    let start = html
        .find("<template id=\"login-shell\">")
        .expect("the shell's template");
    let end = start + html[start..].find("</template>").expect("its end");
    let form = &html[start..end];
    assert!(
        !form.contains("data-testid"),
        "no test ids in the shell: {form}"
    );

    let mut checked = 0;
    // Attribute values: `name="value"` → `"value"` must be in login.rs.
    for (index, _) in form.match_indices("=\"") {
        let value = &form[index + 2..];
        let value = &value[..value.find('"').unwrap()];
        if value == "login-shell" {
            continue;
        }
        assert!(
            login.contains(&format!("\"{value}\"")),
            "login.rs has no \"{value}\""
        );
        checked += 1;
    }
    // Texts between tags: `>登录<` → `"登录"` must be in login.rs.
    for piece in form.split('>').filter_map(|piece| piece.split('<').next()) {
        if !piece.trim().is_empty() {
            assert!(
                login.contains(&format!("\"{piece}\"")),
                "login.rs has no \"{piece}\""
            );
            checked += 1;
        }
    }
    assert!(
        checked > 15,
        "only {checked} values checked: is the template still there?"
    );
}
