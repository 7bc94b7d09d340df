//! The upload's progress bar, then a spinner while the server checks the file.

use leptos::prelude::*;

use crate::dates;

/// `progress`: bytes sent and the file's size, while a file is on its way.
#[component]
pub fn UploadProgress(#[prop(into)] progress: Signal<Option<(f64, f64)>>) -> impl IntoView {
    move || {
        progress.get().map(|(sent, total)| {
            let total = total.max(1.0);
            let sent = sent.clamp(0.0, total);
            // Whole percent, in integers (no float formatting code in the wasm).
            let percent = ((sent / total) * 100.0).floor() as i64;
            let uploaded = sent >= total;
            let text = if uploaded {
                "文件已上传，服务器正在逐行校验…".to_owned()
            } else {
                format!(
                    "正在上传 {percent}%（{} / {}）",
                    dates::format_size(sent as i64),
                    dates::format_size(total as i64)
                )
            };
            view! {
                <div class="upload-progress" data-testid="import-progress">
                    <progress
                        max="100"
                        value=percent.to_string()
                        aria-label="上传进度"
                        data-testid="import-progress-bar"
                    ></progress>
                    <p class="upload-progress-text">
                        {uploaded.then(|| view! { <span class="spinner" aria-hidden="true"></span> })}
                        <span data-testid="import-progress-text">{text}</span>
                    </p>
                </div>
            }
        })
    }
}
