//! The web app in headless Chromium, driven over WebDriver.
