(async (P) => {
  // CORS Doctor: sends the requests below from this tab (your app's origin), then gives you a
  // link that shows the diagnosis. Nothing else is sent anywhere. P is the plan CORS Doctor made.
  const all = P.p1.concat(P.p2 ? [P.p2.probe] : []);
  const ask = all.map((p) => (p.m || "GET") + " " + (p.u || P.u)).join("\n");
  if (!confirm("CORS Doctor will send up to " + all.length + " requests from " + location.origin + ":\n" + ask + "\n\nSend them?")) return "Cancelled: nothing was sent.";
  const env = [];
  if (window.top !== window) env.push({ kind: "frame", detail: "" });
  const csp = (e) => env.push({ kind: "csp", detail: e.effectiveDirective + " " + e.blockedURI });
  document.addEventListener("securitypolicyviolation", csp);
  const send = async (p) => {
    const url = p.u || P.u, o = {}, t0 = performance.now();
    try {
      const r = await fetch(url, {
        method: p.m || "GET", headers: (p.h || []).map((x) => (typeof x === "number" ? P.h[x] : x)), body: p.b, mode: p.mode || "cors",
        credentials: p.cr || "omit", redirect: p.r || "follow", cache: "no-store",
        signal: AbortSignal.timeout(P.t),
      });
      o.outcome = { opaque: "opaque", opaqueredirect: "opaque-redirect" }[r.type] || "delivered";
      if (o.outcome === "delivered") {
        let bytes = new Uint8Array(0), more = false;
        const rd = r.body && r.body.getReader();
        while (rd) {
          const c = await rd.read();
          if (c.done) break;
          const b = new Uint8Array(bytes.length + c.value.length);
          b.set(bytes); b.set(c.value, bytes.length); bytes = b;
          if (bytes.length > P.lim) { more = true; rd.cancel(); break; }
        }
        o.response = {
          status: r.status, status_text: r.statusText, headers: [...r.headers],
          body_preview: new TextDecoder().decode(bytes.slice(0, P.lim)), body_truncated: more,
          redirected: r.redirected, final_url: r.url,
        };
      }
    } catch (e) {
      o.outcome = e.name === "TimeoutError" ? "timeout" : "blocked";
      o.error = e.name + ": " + e.message;
    }
    o.duration_ms = performance.now() - t0;
    const t = performance.getEntriesByName(new URL(url, location.href).href.split("#")[0], "resource")
      .filter((x) => x.startTime + 1 >= t0)[0];
    if (t) o.timing = { response_status: t.responseStatus || 0, duration_ms: t.duration,
      request_start_ms: t.requestStart, response_start_ms: t.responseStart };
    return { n: p.n, o };
  };
  const runs = await Promise.all(P.p1.map(send));
  const blocked = (n) => runs.some((r) => r.n === n && r.o.outcome === "blocked");
  if (P.p2 && P.p2.when.every(blocked)) runs.push(await send(P.p2.probe));
  await new Promise((ok) => setTimeout(ok, 50));
  document.removeEventListener("securitypolicyviolation", csp);
  const data = { v: 1, from: location.origin, form: P.form, runs, env };
  const link = P.back + "#observations=" + encodeURIComponent(JSON.stringify(data));
  try { await navigator.clipboard.writeText(link); } catch (e) { /* the console has no focus */ }
  console.log("CORS Doctor: open this link to see the diagnosis (copied if the tab allowed it):\n" + link);
  return link;
})(__PLAN__)
