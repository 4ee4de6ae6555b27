# Sourced by the benchmark scripts: the wrk scripts for Sesame's token paths.
#   prepare_token_load BASE JAR WORK WEB_JSON BOT_JSON
# BASE is a running server, JAR a curl cookie jar of a signed-in person, WEB_JSON and BOT_JSON the
# `sesame client add --json` output of a first-party web client (redirect URI
# https://app.example/cb) and a client_credentials client. Writes WORK/client_credentials.lua,
# WORK/introspect.lua (one access token of the bot) and WORK/refresh.lua (eight refresh-token
# chains, one per wrk thread, each rotating its own token); sets bot_basic and refresh_chains.

json_field() { sed -n "s/.*\"$1\" *: *\"\([^\"]*\)\".*/\1/p"; }

prepare_token_load() {
    local base=$1 jar=$2 work=$3 web_json=$4 bot_json=$5
    local web_id web_secret bot_id bot_secret web_basic access_token location code
    web_id=$(json_field client_id < "$web_json"); web_secret=$(json_field client_secret < "$web_json")
    bot_id=$(json_field client_id < "$bot_json"); bot_secret=$(json_field client_secret < "$bot_json")
    bot_basic=$(printf '%s:%s' "$bot_id" "$bot_secret" | base64 -w0)
    web_basic=$(printf '%s:%s' "$web_id" "$web_secret" | base64 -w0)
    refresh_chains=8
    local refresh_tokens=()
    for _ in $(seq "$refresh_chains"); do
        location=$(curl -s -o /dev/null -w '%{redirect_url}' -b "$jar" \
            "$base/authorize?client_id=$web_id&response_type=code&redirect_uri=https%3A%2F%2Fapp.example%2Fcb&scope=openid%20offline_access")
        code=$(printf '%s' "$location" | sed -n 's/.*[?&]code=\([^&]*\).*/\1/p')
        refresh_tokens+=("$(curl -s -H "Authorization: Basic $web_basic" -d grant_type=authorization_code -d "code=$code" \
            --data-urlencode redirect_uri=https://app.example/cb "$base/token" | json_field refresh_token)")
    done
    access_token=$(curl -s -H "Authorization: Basic $bot_basic" -d grant_type=client_credentials "$base/token" | json_field access_token)
    cat > "$work/client_credentials.lua" <<LUA
wrk.method = "POST"
wrk.body = "grant_type=client_credentials"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Authorization"] = "Basic $bot_basic"
LUA
    cat > "$work/introspect.lua" <<LUA
wrk.method = "POST"
wrk.body = "token=$access_token"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Authorization"] = "Basic $bot_basic"
LUA
    {
        printf 'local tokens = {'
        printf '"%s",' "${refresh_tokens[@]}"
        printf '}\nlocal next_thread = 0\n'
        cat <<LUA
function setup(thread)
    next_thread = next_thread + 1
    thread:set("token", tokens[next_thread])
end
function request()
    return wrk.format("POST", "/token", {["Content-Type"] = "application/x-www-form-urlencoded",
        ["Authorization"] = "Basic $web_basic"}, "grant_type=refresh_token&refresh_token=" .. token)
end
function response(status, headers, body)
    local fresh = body:match('"refresh_token":"([^"]+)"')
    if fresh then token = fresh end
end
LUA
    } > "$work/refresh.lua"
}
