<?php
// The app, a front controller for `php -S 127.0.0.1:<port> router.php`.
@@top@@
$path = parse_url($_SERVER['REQUEST_URI'], PHP_URL_PATH);
@@auth@@
@@late@@

function respond(array $data): void
{
    @@respond@@
    header('Content-Type: application/json');
    echo json_encode($data);
}

if ($path === '/api/items') {
    respond(['items' => []]);
} elseif ($path === '/api/fail') {
    if ($_SERVER['REQUEST_METHOD'] === 'POST') {
        throw new RuntimeException('unhandled error in the app');
    }
    respond(['ok' => true]);
} else {
    http_response_code(404);
}
