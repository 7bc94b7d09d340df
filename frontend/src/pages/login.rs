//! `/login` 登录, and the change-password form a new account sees first.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_router::NavigateOptions;

use crate::api::{self, ApiError, SessionState, SignOutReason};
use crate::components::Loading;

/// The path to go to after signing in: `next` if it is a path of this app, else the overview.
/// (Only local paths: `//evil.example` or `https://…` must not become an open redirect.)
pub fn safe_next(next: Option<String>) -> String {
    match next {
        Some(path)
            if path.starts_with('/')
                && !path.starts_with("//")
                && !path.starts_with("/\\")
                && !path.starts_with("/login") =>
        {
            path
        }
        _ => "/".to_owned(),
    }
}

/// What the user did in index.html's static sign-in form before the app started: the app
/// carries it over into its own form, so nothing typed is lost when the shell is replaced.
#[derive(Debug, Default)]
pub struct ShellInput {
    username: String,
    password: String,
    /// The `name` of the field that had the focus.
    focused: Option<String>,
    /// 登录 was pressed: sign in as soon as the app runs.
    submitted: bool,
}

thread_local! {
    static SHELL_INPUT: std::cell::RefCell<Option<ShellInput>> =
        const { std::cell::RefCell::new(None) };
}

/// Reads the static sign-in form under `root` (if index.html showed it), before the app
/// replaces it.
pub fn keep_shell_input(root: &leptos::web_sys::Element) {
    use wasm_bindgen::JsCast as _;
    let Ok(Some(form)) = root.query_selector("form") else {
        return;
    };
    let value_of = |name: &str| {
        form.query_selector(&format!("input[name={name}]"))
            .ok()
            .flatten()
            .and_then(|input| input.dyn_into::<leptos::web_sys::HtmlInputElement>().ok())
            .map(|input| input.value())
            .unwrap_or_default()
    };
    let focused = document()
        .active_element()
        .filter(|element| form.contains(Some(element)))
        .and_then(|element| element.get_attribute("name"));
    let input = ShellInput {
        username: value_of("username"),
        password: value_of("password"),
        focused,
        submitted: form.has_attribute("data-submitted"),
    };
    SHELL_INPUT.with(|slot| *slot.borrow_mut() = Some(input));
}

#[component]
pub fn LoginPage() -> impl IntoView {
    super::set_page_title("登录");
    let state = api::session_state();
    let query = use_query_map();
    let navigate = use_navigate();

    // Signed in (just now, or already when the page opened): go where the user wanted.
    let signed_in_state = state.clone();
    Effect::new(move |_| {
        if matches!(signed_in_state.get(), SessionState::SignedIn(_)) {
            let next = safe_next(query.get_untracked().get("next"));
            navigate(
                &next,
                NavigateOptions {
                    replace: true,
                    ..NavigateOptions::default()
                },
            );
        }
    });

    let shell = SHELL_INPUT
        .with(|slot| slot.borrow_mut().take())
        .unwrap_or_default();
    let username = RwSignal::new(shell.username);
    let password = RwSignal::new(shell.password);
    let form_ref = NodeRef::<leptos::html::Form>::new();
    let username_ref = NodeRef::<leptos::html::Input>::new();
    let password_ref = NodeRef::<leptos::html::Input>::new();
    // Where the user was in the shell's form: the same field has the focus, and a 登录
    // pressed before the app ran is sent now. Once, when the form is there.
    Effect::new(move |done: Option<bool>| {
        if done == Some(true) {
            return true;
        }
        let Some(form) = form_ref.get() else {
            return false;
        };
        let field = match shell.focused.as_deref() {
            Some("username") => username_ref.get(),
            Some("password") => password_ref.get(),
            _ => None,
        };
        if let Some(field) = field {
            let _ = field.focus();
        }
        if shell.submitted {
            let _ = form.request_submit();
        }
        true
    });
    let failure = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);

    let submit = move |event: SubmitEvent| {
        event.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let name = username.get_untracked().trim().to_owned();
        let secret = password.get_untracked();
        if name.is_empty() {
            failure.set(Some("请输入用户名".to_owned()));
            return;
        }
        if secret.is_empty() {
            failure.set(Some("请输入密码".to_owned()));
            return;
        }
        busy.set(true);
        failure.set(None);
        leptos::task::spawn_local(async move {
            let outcome = api::sign_in(name, secret).await;
            // The password never stays in the page longer than needed.
            password.try_set(String::new());
            if let Err(error) = outcome {
                failure.try_set(Some(login_error_text(&error)));
            }
            busy.try_set(false);
        });
    };

    let notice = {
        let state = state.clone();
        move || {
            match state.get() {
                SessionState::SignedOut(Some(reason)) => Some(match reason {
                    SignOutReason::LoggedOut => "您已退出登录。",
                    SignOutReason::Expired => "登录已过期，请重新登录。",
                    SignOutReason::PasswordChanged => "密码已修改，请使用新密码登录。",
                }),
                _ => None,
            }
            .map(|text| view! { <p class="form-notice" data-testid="login-notice">{text}</p> })
        }
    };

    // Also while the refresh cookie is being tried, as index.html's shell shows it: a session
    // found then leaves for `next` (the effect above).
    let show_form = {
        let state = state.clone();
        Memo::new(move |_| !matches!(state.get(), SessionState::SignedIn(_)))
    };
    let form = move || {
        view! {
            <form
                class="card login-card"
                data-testid="login-form"
                on:submit=submit
                novalidate
                node_ref=form_ref
            >
                <h1 class="page-title">"登录"</h1>
                {notice.clone()}
                <label class="field">
                    <span class="field-label">"用户名"</span>
                    <input
                        type="text"
                        name="username"
                        autocomplete="username"
                        autocapitalize="none"
                        spellcheck="false"
                        required
                        data-testid="login-username"
                        node_ref=username_ref
                        prop:value=move || username.get()
                        on:input=move |event| username.set(event_target_value(&event))
                    />
                </label>
                <label class="field">
                    <span class="field-label">"密码"</span>
                    <input
                        type="password"
                        name="password"
                        autocomplete="current-password"
                        required
                        data-testid="login-password"
                        node_ref=password_ref
                        prop:value=move || password.get()
                        on:input=move |event| password.set(event_target_value(&event))
                    />
                </label>
                {move || {
                    failure
                        .get()
                        .map(|text| {
                            view! {
                                <p class="form-error" role="alert" data-testid="login-error">
                                    {text}
                                </p>
                            }
                        })
                }}
                <button type="submit" class="button button-block" data-testid="login-submit" disabled=move || busy.get()>
                    {move || if busy.get() { "正在登录…" } else { "登录" }}
                </button>
                <p class="form-hint">"忘记密码或账号被锁定，请联系安全管理员。"</p>
            </form>
        }
    };
    // While leaving for `next`: a spinner.
    view! {
        <Show when=move || show_form.get() fallback=|| view! { <Loading /> }>
            {form.clone()}
        </Show>
    }
}

/// What a failed sign-in tells the user, in Chinese.
fn login_error_text(error: &ApiError) -> String {
    match error.code() {
        Some("INVALID_CREDENTIALS") => {
            "用户名或密码错误。连续输错 5 次账号将被锁定，请稍后再试或联系安全管理员。".to_owned()
        }
        Some("ACCOUNT_LOCKED") => "账号已被锁定，请稍后再试或联系安全管理员。".to_owned(),
        Some("RATE_LIMITED") => "登录尝试过于频繁，请稍后再试。".to_owned(),
        Some("INVALID_INPUT" | "BAD_USER_INPUT") => "请检查用户名和密码的格式。".to_owned(),
        _ => match error {
            ApiError::Network | ApiError::UnexpectedResponse { .. } => error.to_string(),
            _ => format!("登录失败：{}", error.title()),
        },
    }
}

/// 修改初始密码: shown instead of every page while the account must change its password.
#[component]
pub fn ChangePasswordPage() -> impl IntoView {
    super::set_page_title("修改初始密码");
    let current = RwSignal::new(String::new());
    let new = RwSignal::new(String::new());
    let confirm = RwSignal::new(String::new());
    let failure = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);

    let submit = move |event: SubmitEvent| {
        event.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let current_password = current.get_untracked();
        let new_password = new.get_untracked();
        let problem = if current_password.is_empty() {
            Some("请输入当前密码")
        } else if new_password.chars().count() < 12 {
            Some("新密码至少 12 位")
        } else if new_password != confirm.get_untracked() {
            Some("两次输入的新密码不一致")
        } else if new_password == current_password {
            Some("新密码不能与当前密码相同")
        } else {
            None
        };
        if let Some(problem) = problem {
            failure.set(Some(problem.to_owned()));
            return;
        }
        busy.set(true);
        failure.set(None);
        leptos::task::spawn_local(async move {
            if let Err(error) = api::change_password(current_password, new_password).await {
                failure.try_set(Some(change_password_error_text(&error)));
            }
            busy.try_set(false);
        });
    };

    let field = |label: &'static str,
                 autocomplete: &'static str,
                 testid: &'static str,
                 value: RwSignal<String>| {
        view! {
            <label class="field">
                <span class="field-label">{label}</span>
                <input
                    type="password"
                    autocomplete=autocomplete
                    required
                    data-testid=testid
                    prop:value=move || value.get()
                    on:input=move |event| value.set(event_target_value(&event))
                />
            </label>
        }
    };

    view! {
        <form class="card login-card" data-testid="change-password-form" on:submit=submit novalidate>
            <h1 class="page-title">"修改初始密码"</h1>
            <p class="form-notice">"首次登录须先修改初始密码，修改后才能使用平台。"</p>
            {field("当前密码", "current-password", "current-password", current)}
            {field("新密码", "new-password", "new-password", new)}
            {field("再次输入新密码", "new-password", "confirm-password", confirm)}
            <p class="form-hint">
                "至少 12 位，含大写字母、小写字母、数字、符号中的三类；不能包含用户名，不能与最近 5 次的密码相同。"
            </p>
            {move || {
                failure
                    .get()
                    .map(|text| {
                        view! {
                            <p class="form-error" role="alert" data-testid="change-password-error">
                                {text}
                            </p>
                        }
                    })
            }}
            <button type="submit" class="button button-block" data-testid="change-password-submit" disabled=move || busy.get()>
                {move || if busy.get() { "正在提交…" } else { "修改密码" }}
            </button>
        </form>
    }
}

fn change_password_error_text(error: &ApiError) -> String {
    match (error.code(), error.field()) {
        (Some("INVALID_INPUT"), Some("input.currentPassword")) => "当前密码不正确。".to_owned(),
        (Some("INVALID_INPUT"), Some("input.newPassword")) => {
            format!("新密码不符合密码规则（{error}）。")
        }
        _ => match error {
            ApiError::Network | ApiError::UnexpectedResponse { .. } => error.to_string(),
            _ => format!("{}：{error}", error.title()),
        },
    }
}
