// Starts the web app. Absolute paths, so deep links such as /sites/1 load it too.
import init from "/app.js";

init({ module_or_path: "/app_bg.wasm" }).catch((error) => {
  console.error(error);
  const root = document.getElementById("app");
  if (root) {
    const message = document.createElement("p");
    message.className = "boot-error";
    message.textContent = "应用加载失败，请刷新页面重试。若问题持续，请使用较新版本的浏览器。";
    root.replaceChildren(message);
  }
});
