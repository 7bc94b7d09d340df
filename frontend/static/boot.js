// Starts the web app. Absolute paths, so deep links such as /sites/1 load it too.
// The app's JavaScript and wasm are fetched only after the first paint (index.html's shell):
// on a slow line they would otherwise share the bandwidth with the stylesheet the first
// paint waits for.
function start() {
  import("/app.js")
    .then((app) => app.default({ module_or_path: "/app_bg.wasm" }))
    .catch((error) => {
      console.error(error);
      const root = document.getElementById("app");
      if (root) {
        const message = document.createElement("p");
        message.className = "boot-error";
        message.textContent = "应用加载失败，请刷新页面重试。若问题持续，请使用较新版本的浏览器。";
        root.replaceChildren(message);
      }
    });
}

requestAnimationFrame(() => setTimeout(start, 0));
