//! The history: finished checks are remembered across reloads (secrets masked), a click loads one
//! into the form without sending anything, a corrupt stored value is set aside with a notice, and
//! one button clears it all.

use std::time::Duration;

use cors_doctor::engine::check::history::STORAGE_KEY;

use crate::util::{Form, Harness};

const SECRET: &str = "hunter2-secret";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn checks_are_remembered_masked_and_loaded_without_running() {
    let harness = Harness::start().await;
    let tab = harness.chromium.tab().await;
    let page = harness.site.page_url();
    let mut failures = Vec::new();
    let items = "document.querySelectorAll('[data-testid=history-item]').length";
    let stored = format!("localStorage.getItem('{STORAGE_KEY}')");

    let first = Form {
        url: harness.lab.url("/acao-missing?case=history-1"),
        headers: Some(format!("Authorization: Bearer {SECRET}")),
        ..Form::default()
    };
    tab.check(&page, &first).await;
    let second = Form {
        url: harness.lab.url("/simple-ok?case=history-2"),
        ..Form::default()
    };
    tab.check(&page, &second).await;

    // A reload keeps both, newest first; the stored value has no secret.
    tab.open(&page).await;
    if tab.eval(items).await != 2 {
        failures.push(format!(
            "{} history items after a reload, expected 2",
            tab.eval(items).await
        ));
    }
    let labels = tab
        .eval("Array.from(document.querySelectorAll('[data-testid=history-item]')).map(i => i.textContent)")
        .await;
    let newest_first = labels[0].as_str().is_some_and(|l| l.contains("history-2"))
        && labels[1]
            .as_str()
            .is_some_and(|l| l.contains("history-1") && l.contains("preflight/allow-origin"));
    if !newest_first {
        failures.push(format!(
            "labels {labels}: expected history-2 first, then history-1 with its verdict"
        ));
    }
    let raw = tab
        .eval(&stored)
        .await
        .as_str()
        .unwrap_or_default()
        .to_string();
    if raw.contains(SECRET) || !raw.contains("Bearer ••••") {
        failures.push(format!("the stored history must mask the token: {raw}"));
    }

    // A click loads the older one into the form and sends nothing.
    let before = harness.lab.requests().len();
    tab.eval("document.querySelectorAll('[data-testid=history-item] button')[1].click()")
        .await;
    tab.wait_for(
        &format!(
            "document.querySelector('[data-testid=url]').value === {}",
            serde_json::to_string(&first.url).unwrap_or_default()
        ),
        Duration::from_secs(5),
    )
    .await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    let status = tab
        .eval("document.querySelector('[data-testid=report]').dataset.status")
        .await;
    let after = harness.lab.requests().len();
    if status != "idle" || after != before {
        failures.push(format!(
            "loading an entry must not run it: report {status}, lab requests {before} → {after}"
        ));
    }
    let headers = tab
        .eval("document.querySelector('[data-testid=headers]').value")
        .await;
    if headers != "Authorization: Bearer ••••" {
        failures.push(format!(
            "the loaded headers are {headers}, expected the masked token"
        ));
    }

    // A corrupt stored value is set aside with a notice; the page keeps working.
    tab.eval(&format!("localStorage.setItem('{STORAGE_KEY}', '{{oops')"))
        .await;
    tab.open(&page).await;
    let notice = tab
        .eval("document.querySelector('[data-testid=history-notice]')?.textContent ?? null")
        .await;
    if notice.is_null() || tab.eval(items).await != 0 {
        failures.push(format!(
            "corrupt storage: notice {notice}, items {}",
            tab.eval(items).await
        ));
    }
    tab.check(&page, &second).await;
    if tab.eval(items).await != 1 {
        failures.push("after a corrupt value, a new check must be remembered".into());
    }

    // One button clears everything.
    tab.eval("document.querySelector('[data-testid=history-clear]').click()")
        .await;
    tab.wait_for(&format!("{items} === 0"), Duration::from_secs(5))
        .await;
    if !tab.eval(&stored).await.is_null() {
        failures.push("clearing must remove the stored value".into());
    }
    harness.stop().await;
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
