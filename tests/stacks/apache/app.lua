-- The app (mod_lua): an error it does not handle is Apache's own 500.
function handle(r)
  r.content_type = "application/json"
  if r.uri == "/api/fail" and r.method == "POST" then
    error("unhandled error in the app")
  elseif r.uri == "/api/fail" then
    r:puts('{"ok":true}')
  else
    r:puts('{"items":[]}')
  end
  return apache2.OK
end
