# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_acjwt_global_optspecs
    string join \n color= no-input h/help V/version
end

function __fish_acjwt_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_acjwt_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_acjwt_using_subcommand
    set -l cmd (__fish_acjwt_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c acjwt -n "__fish_acjwt_needs_command" -l color -d 'When to use colour: auto (a terminal without NO_COLOR), always or never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c acjwt -n "__fish_acjwt_needs_command" -l no-input -d 'Never prompt; fail at once when a value is missing (implied without a terminal or with CI set)'
complete -c acjwt -n "__fish_acjwt_needs_command" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c acjwt -n "__fish_acjwt_needs_command" -s V -l version -d 'Print version'
complete -c acjwt -n "__fish_acjwt_needs_command" -f -a "keygen" -d 'Generate a key pair: the private key signs tokens, the public key goes to the platform'
complete -c acjwt -n "__fish_acjwt_needs_command" -f -a "matching" -d 'Assemble and validate matching objects (which profile a token acts for)'
complete -c acjwt -n "__fish_acjwt_needs_command" -f -a "mint" -d 'Sign a token: {"iss", "exp", "rtoken", "matching"} with matching as a JSON string'
complete -c acjwt -n "__fish_acjwt_needs_command" -f -a "decode" -d 'Show a token\'s header and claims, matching unpacked and times made human. No key needed, and nothing is verified: use `acjwt verify` for that'
complete -c acjwt -n "__fish_acjwt_needs_command" -f -a "verify" -d 'Verify a token: signature, algorithm, exp/nbf/iat and the Altcraft claims'
complete -c acjwt -n "__fish_acjwt_needs_command" -f -a "header" -d 'Print the Authorization header value the SDK sends, for trying the platform API with curl'
complete -c acjwt -n "__fish_acjwt_needs_command" -f -a "key" -d 'Inspect and convert key files: PEM (SEC1, PKCS#8, PKCS#1, SPKI), DER, JWK and JWKS'
complete -c acjwt -n "__fish_acjwt_needs_command" -f -a "explain" -d 'Explain whether a token will work: every check, in the order a support engineer goes'
complete -c acjwt -n "__fish_acjwt_needs_command" -f -a "serve" -d 'Serve tokens over HTTP: the token service an app under development (or a backend) calls'
complete -c acjwt -n "__fish_acjwt_needs_command" -f -a "completions" -d 'Print a shell completion script, or write all of them to a folder'
complete -c acjwt -n "__fish_acjwt_needs_command" -f -a "man" -d 'Print the acjwt(1) man page, or write every page (one per subcommand) to a folder'
complete -c acjwt -n "__fish_acjwt_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c acjwt -n "__fish_acjwt_using_subcommand keygen" -l alg -d 'Algorithm: ES384 (recommended), ES256, ES512 or RS256' -r
complete -c acjwt -n "__fish_acjwt_using_subcommand keygen" -l bits -d 'RSA modulus size for RS256' -r -f -a "2048\t''
3072\t''
4096\t''"
complete -c acjwt -n "__fish_acjwt_using_subcommand keygen" -l out-dir -d 'Folder for both files, created if missing (default: the current folder)' -r -F
complete -c acjwt -n "__fish_acjwt_using_subcommand keygen" -l private -d 'Private key file name (default: private.ec.key, or private.rsa.key for RS256)' -r -F
complete -c acjwt -n "__fish_acjwt_using_subcommand keygen" -l public -d 'Public key file name' -r -F
complete -c acjwt -n "__fish_acjwt_using_subcommand keygen" -l kid -d 'Key id: auto (the key\'s RFC 7638 thumbprint) or a name. Recorded in <private key>.kid, which mint puts in the token header, and in the JWKS' -r
complete -c acjwt -n "__fish_acjwt_using_subcommand keygen" -l color -d 'When to use colour: auto (a terminal without NO_COLOR), always or never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c acjwt -n "__fish_acjwt_using_subcommand keygen" -l pkcs8 -d 'Write the private key as PKCS#8 ("PRIVATE KEY") instead of SEC1 for EC keys'
complete -c acjwt -n "__fish_acjwt_using_subcommand keygen" -l jwks -d 'Also write the public key as a JWK Set, jwks.json, beside the PEM pair'
complete -c acjwt -n "__fish_acjwt_using_subcommand keygen" -l force -d 'Replace existing files'
complete -c acjwt -n "__fish_acjwt_using_subcommand keygen" -l json -d 'Print a JSON summary on stdout'
complete -c acjwt -n "__fish_acjwt_using_subcommand keygen" -l no-input -d 'Never prompt; fail at once when a value is missing (implied without a terminal or with CI set)'
complete -c acjwt -n "__fish_acjwt_using_subcommand keygen" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c acjwt -n "__fish_acjwt_using_subcommand keygen" -s V -l version -d 'Print version'
complete -c acjwt -n "__fish_acjwt_using_subcommand matching; and not __fish_seen_subcommand_from build modes help" -l color -d 'When to use colour: auto (a terminal without NO_COLOR), always or never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c acjwt -n "__fish_acjwt_using_subcommand matching; and not __fish_seen_subcommand_from build modes help" -l no-input -d 'Never prompt; fail at once when a value is missing (implied without a terminal or with CI set)'
complete -c acjwt -n "__fish_acjwt_using_subcommand matching; and not __fish_seen_subcommand_from build modes help" -s h -l help -d 'Print help'
complete -c acjwt -n "__fish_acjwt_using_subcommand matching; and not __fish_seen_subcommand_from build modes help" -s V -l version -d 'Print version'
complete -c acjwt -n "__fish_acjwt_using_subcommand matching; and not __fish_seen_subcommand_from build modes help" -f -a "build" -d 'Print a matching object as compact JSON, checked against its mode\'s required fields'
complete -c acjwt -n "__fish_acjwt_using_subcommand matching; and not __fish_seen_subcommand_from build modes help" -f -a "modes" -d 'List the matching modes, the fields each needs, and what each matches on'
complete -c acjwt -n "__fish_acjwt_using_subcommand matching; and not __fish_seen_subcommand_from build modes help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c acjwt -n "__fish_acjwt_using_subcommand matching; and __fish_seen_subcommand_from build" -l mode -d 'Matching mode: how the platform finds the profile' -r -f -a "email\t'email from the profile or its subscriptions (platform default)'
email_profile\t'email from the profile only'
email_sub\t'email from subscriptions only'
phone\t'phone from the profile or SMS subscriptions'
phone_sub\t'phone from subscriptions only'
profile_id\t'the platform\'s profile id'
push_sub\t'a push subscription: provider + device token'
custom\t'a custom profile field, e.g. CRM_ID'
custom_sub\t'a subscription to a custom channel'
email_phone\t'email and/or phone, from the profile'
email_phone_sub\t'email and/or phone, from subscriptions'"
complete -c acjwt -n "__fish_acjwt_using_subcommand matching; and __fish_seen_subcommand_from build" -l db-id -d 'Profile database id (an integer from 1 to 2147483647)' -r
complete -c acjwt -n "__fish_acjwt_using_subcommand matching; and __fish_seen_subcommand_from build" -l email -d 'Email (modes email, email_profile, email_sub, email_phone, email_phone_sub)' -r
complete -c acjwt -n "__fish_acjwt_using_subcommand matching; and __fish_seen_subcommand_from build" -l phone -d 'Phone, e.g. +79000000000 (modes phone, phone_sub, email_phone, email_phone_sub)' -r
complete -c acjwt -n "__fish_acjwt_using_subcommand matching; and __fish_seen_subcommand_from build" -l profile-id -d 'Platform profile id (mode profile_id)' -r
complete -c acjwt -n "__fish_acjwt_using_subcommand matching; and __fish_seen_subcommand_from build" -l provider -d 'Push provider, e.g. android-firebase, ios-apns (mode push_sub)' -r
complete -c acjwt -n "__fish_acjwt_using_subcommand matching; and __fish_seen_subcommand_from build" -l subscription-id -d 'Push subscription id: the device token (mode push_sub)' -r
complete -c acjwt -n "__fish_acjwt_using_subcommand matching; and __fish_seen_subcommand_from build" -l field-name -d 'Custom field name, e.g. CRM_ID (modes custom, custom_sub)' -r
complete -c acjwt -n "__fish_acjwt_using_subcommand matching; and __fish_seen_subcommand_from build" -l field-value -d 'Custom field value, kept a string (modes custom, custom_sub)' -r
complete -c acjwt -n "__fish_acjwt_using_subcommand matching; and __fish_seen_subcommand_from build" -l field-value-int -d 'Custom field value as a JSON integer instead of a string' -r
complete -c acjwt -n "__fish_acjwt_using_subcommand matching; and __fish_seen_subcommand_from build" -l color -d 'When to use colour: auto (a terminal without NO_COLOR), always or never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c acjwt -n "__fish_acjwt_using_subcommand matching; and __fish_seen_subcommand_from build" -l no-input -d 'Never prompt; fail at once when a value is missing (implied without a terminal or with CI set)'
complete -c acjwt -n "__fish_acjwt_using_subcommand matching; and __fish_seen_subcommand_from build" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c acjwt -n "__fish_acjwt_using_subcommand matching; and __fish_seen_subcommand_from build" -s V -l version -d 'Print version'
complete -c acjwt -n "__fish_acjwt_using_subcommand matching; and __fish_seen_subcommand_from modes" -l color -d 'When to use colour: auto (a terminal without NO_COLOR), always or never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c acjwt -n "__fish_acjwt_using_subcommand matching; and __fish_seen_subcommand_from modes" -l no-input -d 'Never prompt; fail at once when a value is missing (implied without a terminal or with CI set)'
complete -c acjwt -n "__fish_acjwt_using_subcommand matching; and __fish_seen_subcommand_from modes" -s h -l help -d 'Print help'
complete -c acjwt -n "__fish_acjwt_using_subcommand matching; and __fish_seen_subcommand_from modes" -s V -l version -d 'Print version'
complete -c acjwt -n "__fish_acjwt_using_subcommand matching; and __fish_seen_subcommand_from help" -f -a "build" -d 'Print a matching object as compact JSON, checked against its mode\'s required fields'
complete -c acjwt -n "__fish_acjwt_using_subcommand matching; and __fish_seen_subcommand_from help" -f -a "modes" -d 'List the matching modes, the fields each needs, and what each matches on'
complete -c acjwt -n "__fish_acjwt_using_subcommand matching; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c acjwt -n "__fish_acjwt_using_subcommand mint" -l iss -d 'Issuer: your application\'s name' -r
complete -c acjwt -n "__fish_acjwt_using_subcommand mint" -l rtoken -d 'Role token from the resource\'s settings (prefer ACJWT_RTOKEN or --rtoken-file: command lines end up in shell history and process lists)' -r
complete -c acjwt -n "__fish_acjwt_using_subcommand mint" -l kid -d 'Key id for the header (default: the kid of a JWK key, or the one keygen --kid recorded in <key>.kid)' -r
complete -c acjwt -n "__fish_acjwt_using_subcommand mint" -l matching -d 'The whole matching object as JSON, instead of the matching flags' -r
complete -c acjwt -n "__fish_acjwt_using_subcommand mint" -l ttl -d 'Lifetime: 30s, 15m, 1h, 7d' -r
complete -c acjwt -n "__fish_acjwt_using_subcommand mint" -l exp -d 'Expiry instead of --ttl: unix seconds, RFC 3339 or relative (+2h)' -r
complete -c acjwt -n "__fish_acjwt_using_subcommand mint" -l alg -d 'Expected algorithm; an error if the key is for another one' -r
complete -c acjwt -n "__fish_acjwt_using_subcommand mint" -l batch -d 'Mint one token per line of FILE (- reads stdin): each line a matching object as JSON, checked as --matching is. Output keeps the input order' -r
complete -c acjwt -n "__fish_acjwt_using_subcommand mint" -l batch-format -d 'With --batch: tokens (one per line, the default) or jsonl ({"line", "token", "matching"} per line)' -r -f -a "tokens\t'One token per line'
jsonl\t'One JSON object per line: {"line": N, "token": "...", "matching": {...}}'"
complete -c acjwt -n "__fish_acjwt_using_subcommand mint" -s o -l output -d 'With --batch: write to FILE (mode 0600) instead of stdout; on failure FILE is left as it was, never half-written' -r -F
complete -c acjwt -n "__fish_acjwt_using_subcommand mint" -l threads -d 'With --batch: worker threads, 1 to 256 (default: one per core)' -r
complete -c acjwt -n "__fish_acjwt_using_subcommand mint" -l mode -d 'Matching mode: how the platform finds the profile' -r -f -a "email\t'email from the profile or its subscriptions (platform default)'
email_profile\t'email from the profile only'
email_sub\t'email from subscriptions only'
phone\t'phone from the profile or SMS subscriptions'
phone_sub\t'phone from subscriptions only'
profile_id\t'the platform\'s profile id'
push_sub\t'a push subscription: provider + device token'
custom\t'a custom profile field, e.g. CRM_ID'
custom_sub\t'a subscription to a custom channel'
email_phone\t'email and/or phone, from the profile'
email_phone_sub\t'email and/or phone, from subscriptions'"
complete -c acjwt -n "__fish_acjwt_using_subcommand mint" -l db-id -d 'Profile database id (an integer from 1 to 2147483647)' -r
complete -c acjwt -n "__fish_acjwt_using_subcommand mint" -l email -d 'Email (modes email, email_profile, email_sub, email_phone, email_phone_sub)' -r
complete -c acjwt -n "__fish_acjwt_using_subcommand mint" -l phone -d 'Phone, e.g. +79000000000 (modes phone, phone_sub, email_phone, email_phone_sub)' -r
complete -c acjwt -n "__fish_acjwt_using_subcommand mint" -l profile-id -d 'Platform profile id (mode profile_id)' -r
complete -c acjwt -n "__fish_acjwt_using_subcommand mint" -l provider -d 'Push provider, e.g. android-firebase, ios-apns (mode push_sub)' -r
complete -c acjwt -n "__fish_acjwt_using_subcommand mint" -l subscription-id -d 'Push subscription id: the device token (mode push_sub)' -r
complete -c acjwt -n "__fish_acjwt_using_subcommand mint" -l field-name -d 'Custom field name, e.g. CRM_ID (modes custom, custom_sub)' -r
complete -c acjwt -n "__fish_acjwt_using_subcommand mint" -l field-value -d 'Custom field value, kept a string (modes custom, custom_sub)' -r
complete -c acjwt -n "__fish_acjwt_using_subcommand mint" -l field-value-int -d 'Custom field value as a JSON integer instead of a string' -r
complete -c acjwt -n "__fish_acjwt_using_subcommand mint" -l key -d 'Private key file (PEM, DER or JWK; - reads stdin). An encrypted PKCS#8 key is opened with ACJWT_KEY_PASSPHRASE or a passphrase prompt' -r
complete -c acjwt -n "__fish_acjwt_using_subcommand mint" -l backend -d 'Signing library: aws-lc (fastest; in the default build) or rustcrypto (pure Rust). Default: the fastest this build has; one ES token is signed with rustcrypto instead when aws-lc was built with CPU-jitter entropy, whose first random draw costs ~25 ms a process' -r
complete -c acjwt -n "__fish_acjwt_using_subcommand mint" -l rtoken-file -d 'Read the role token from a file (- reads stdin): one line; a BOM and the final newline are dropped. Cannot be combined with --rtoken; it takes precedence over ACJWT_RTOKEN' -r
complete -c acjwt -n "__fish_acjwt_using_subcommand mint" -l color -d 'When to use colour: auto (a terminal without NO_COLOR), always or never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c acjwt -n "__fish_acjwt_using_subcommand mint" -l json -d 'Print a JSON document (token, alg, exp, matching) instead of the bare token'
complete -c acjwt -n "__fish_acjwt_using_subcommand mint" -l no-input -d 'Never prompt; fail at once when a value is missing (implied without a terminal or with CI set)'
complete -c acjwt -n "__fish_acjwt_using_subcommand mint" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c acjwt -n "__fish_acjwt_using_subcommand mint" -s V -l version -d 'Print version'
complete -c acjwt -n "__fish_acjwt_using_subcommand decode" -l at -d 'Judge times at this instant instead of now: unix seconds, RFC 3339 or relative (-1h)' -r
complete -c acjwt -n "__fish_acjwt_using_subcommand decode" -l leeway -d 'Clock skew to tolerate on exp, nbf and iat' -r
complete -c acjwt -n "__fish_acjwt_using_subcommand decode" -l color -d 'When to use colour: auto (a terminal without NO_COLOR), always or never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c acjwt -n "__fish_acjwt_using_subcommand decode" -l json -d 'Print {"header", "claims", "matching", "times", "warnings"} as JSON'
complete -c acjwt -n "__fish_acjwt_using_subcommand decode" -l no-input -d 'Never prompt; fail at once when a value is missing (implied without a terminal or with CI set)'
complete -c acjwt -n "__fish_acjwt_using_subcommand decode" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c acjwt -n "__fish_acjwt_using_subcommand decode" -s V -l version -d 'Print version'
complete -c acjwt -n "__fish_acjwt_using_subcommand verify" -l batch -d 'Verify one token per line of FILE (- reads stdin) on every core; one report per line (with --json, one JSON object per line), exit 1 if any token is invalid' -r
complete -c acjwt -n "__fish_acjwt_using_subcommand verify" -l backend -d 'Signing library: aws-lc (fastest; in the default build) or rustcrypto (pure Rust). Default: the fastest this build has' -r
complete -c acjwt -n "__fish_acjwt_using_subcommand verify" -l threads -d 'With --batch: worker threads, 1 to 256 (default: one per core)' -r
complete -c acjwt -n "__fish_acjwt_using_subcommand verify" -l key -d 'Public key (or private key, JWK, or JWKS whose entry the token\'s kid chooses) to check the signature with; - reads stdin' -r
complete -c acjwt -n "__fish_acjwt_using_subcommand verify" -l at -d 'Judge times at this instant instead of now: unix seconds, RFC 3339 or relative (-1h)' -r
complete -c acjwt -n "__fish_acjwt_using_subcommand verify" -l leeway -d 'Clock skew to tolerate on exp, nbf and iat' -r
complete -c acjwt -n "__fish_acjwt_using_subcommand verify" -l color -d 'When to use colour: auto (a terminal without NO_COLOR), always or never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c acjwt -n "__fish_acjwt_using_subcommand verify" -l generic -d 'Check only what any JWT verifier checks; skip the Altcraft claim rules'
complete -c acjwt -n "__fish_acjwt_using_subcommand verify" -l json -d 'Print {"valid", "alg", "kid", "claims", "failures", "warnings"} as JSON'
complete -c acjwt -n "__fish_acjwt_using_subcommand verify" -l no-input -d 'Never prompt; fail at once when a value is missing (implied without a terminal or with CI set)'
complete -c acjwt -n "__fish_acjwt_using_subcommand verify" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c acjwt -n "__fish_acjwt_using_subcommand verify" -s V -l version -d 'Print version'
complete -c acjwt -n "__fish_acjwt_using_subcommand header" -l rtoken -d 'A role token instead of a JWT' -r
complete -c acjwt -n "__fish_acjwt_using_subcommand header" -l color -d 'When to use colour: auto (a terminal without NO_COLOR), always or never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c acjwt -n "__fish_acjwt_using_subcommand header" -l no-input -d 'Never prompt; fail at once when a value is missing (implied without a terminal or with CI set)'
complete -c acjwt -n "__fish_acjwt_using_subcommand header" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c acjwt -n "__fish_acjwt_using_subcommand header" -s V -l version -d 'Print version'
complete -c acjwt -n "__fish_acjwt_using_subcommand key; and not __fish_seen_subcommand_from inspect public convert help" -l color -d 'When to use colour: auto (a terminal without NO_COLOR), always or never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c acjwt -n "__fish_acjwt_using_subcommand key; and not __fish_seen_subcommand_from inspect public convert help" -l no-input -d 'Never prompt; fail at once when a value is missing (implied without a terminal or with CI set)'
complete -c acjwt -n "__fish_acjwt_using_subcommand key; and not __fish_seen_subcommand_from inspect public convert help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c acjwt -n "__fish_acjwt_using_subcommand key; and not __fish_seen_subcommand_from inspect public convert help" -s V -l version -d 'Print version'
complete -c acjwt -n "__fish_acjwt_using_subcommand key; and not __fish_seen_subcommand_from inspect public convert help" -f -a "inspect" -d 'Say what a key file is and whether the platform accepts it for JWT auth'
complete -c acjwt -n "__fish_acjwt_using_subcommand key; and not __fish_seen_subcommand_from inspect public convert help" -f -a "public" -d 'Print the public half of a key: SPKI PEM (what the platform takes), or a JWK/JWKS'
complete -c acjwt -n "__fish_acjwt_using_subcommand key; and not __fish_seen_subcommand_from inspect public convert help" -f -a "convert" -d 'Write a key in another format'
complete -c acjwt -n "__fish_acjwt_using_subcommand key; and not __fish_seen_subcommand_from inspect public convert help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c acjwt -n "__fish_acjwt_using_subcommand key; and __fish_seen_subcommand_from inspect" -l color -d 'When to use colour: auto (a terminal without NO_COLOR), always or never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c acjwt -n "__fish_acjwt_using_subcommand key; and __fish_seen_subcommand_from inspect" -l json -d 'Print {"file", "format", "encrypted", "accepted", "keys": [...]} as JSON'
complete -c acjwt -n "__fish_acjwt_using_subcommand key; and __fish_seen_subcommand_from inspect" -l no-input -d 'Never prompt; fail at once when a value is missing (implied without a terminal or with CI set)'
complete -c acjwt -n "__fish_acjwt_using_subcommand key; and __fish_seen_subcommand_from inspect" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c acjwt -n "__fish_acjwt_using_subcommand key; and __fish_seen_subcommand_from inspect" -s V -l version -d 'Print version'
complete -c acjwt -n "__fish_acjwt_using_subcommand key; and __fish_seen_subcommand_from public" -l color -d 'When to use colour: auto (a terminal without NO_COLOR), always or never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c acjwt -n "__fish_acjwt_using_subcommand key; and __fish_seen_subcommand_from public" -l jwk -d 'Print a JWK instead of PEM'
complete -c acjwt -n "__fish_acjwt_using_subcommand key; and __fish_seen_subcommand_from public" -l jwks -d 'Print a JWKS ({"keys": [...]}) instead of PEM'
complete -c acjwt -n "__fish_acjwt_using_subcommand key; and __fish_seen_subcommand_from public" -l no-input -d 'Never prompt; fail at once when a value is missing (implied without a terminal or with CI set)'
complete -c acjwt -n "__fish_acjwt_using_subcommand key; and __fish_seen_subcommand_from public" -s h -l help -d 'Print help'
complete -c acjwt -n "__fish_acjwt_using_subcommand key; and __fish_seen_subcommand_from public" -s V -l version -d 'Print version'
complete -c acjwt -n "__fish_acjwt_using_subcommand key; and __fish_seen_subcommand_from convert" -l to -d 'The format to write' -r -f -a "sec1\t''
pkcs8\t''
pkcs1\t''
spki\t''
jwk\t''
jwks\t''"
complete -c acjwt -n "__fish_acjwt_using_subcommand key; and __fish_seen_subcommand_from convert" -s o -l output -d 'Write to this file instead of stdout' -r -F
complete -c acjwt -n "__fish_acjwt_using_subcommand key; and __fish_seen_subcommand_from convert" -l color -d 'When to use colour: auto (a terminal without NO_COLOR), always or never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c acjwt -n "__fish_acjwt_using_subcommand key; and __fish_seen_subcommand_from convert" -l private -d 'Keep the private key in a JWK or JWKS (the "d" member)'
complete -c acjwt -n "__fish_acjwt_using_subcommand key; and __fish_seen_subcommand_from convert" -l force -d 'Replace --output if it exists'
complete -c acjwt -n "__fish_acjwt_using_subcommand key; and __fish_seen_subcommand_from convert" -l no-input -d 'Never prompt; fail at once when a value is missing (implied without a terminal or with CI set)'
complete -c acjwt -n "__fish_acjwt_using_subcommand key; and __fish_seen_subcommand_from convert" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c acjwt -n "__fish_acjwt_using_subcommand key; and __fish_seen_subcommand_from convert" -s V -l version -d 'Print version'
complete -c acjwt -n "__fish_acjwt_using_subcommand key; and __fish_seen_subcommand_from help" -f -a "inspect" -d 'Say what a key file is and whether the platform accepts it for JWT auth'
complete -c acjwt -n "__fish_acjwt_using_subcommand key; and __fish_seen_subcommand_from help" -f -a "public" -d 'Print the public half of a key: SPKI PEM (what the platform takes), or a JWK/JWKS'
complete -c acjwt -n "__fish_acjwt_using_subcommand key; and __fish_seen_subcommand_from help" -f -a "convert" -d 'Write a key in another format'
complete -c acjwt -n "__fish_acjwt_using_subcommand key; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c acjwt -n "__fish_acjwt_using_subcommand explain" -l key -d 'Public key (or private key, JWK, or JWKS whose entry the token\'s kid chooses) to check the signature with; - reads stdin' -r
complete -c acjwt -n "__fish_acjwt_using_subcommand explain" -l at -d 'Judge times at this instant instead of now: unix seconds, RFC 3339 or relative (-1h)' -r
complete -c acjwt -n "__fish_acjwt_using_subcommand explain" -l leeway -d 'Clock skew to tolerate on exp, nbf and iat' -r
complete -c acjwt -n "__fish_acjwt_using_subcommand explain" -l sdk-error -d 'Instead of a token, list the causes of an SDK auth error code (540-545) and how to check a token for each' -r
complete -c acjwt -n "__fish_acjwt_using_subcommand explain" -l color -d 'When to use colour: auto (a terminal without NO_COLOR), always or never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c acjwt -n "__fish_acjwt_using_subcommand explain" -l json -d 'Print the report as JSON: {"ok", "summary", "matching_mode", "user_tag", "checks"}, or {"ok", "tokens": [...], "comparison"} for two tokens'
complete -c acjwt -n "__fish_acjwt_using_subcommand explain" -l no-input -d 'Never prompt; fail at once when a value is missing (implied without a terminal or with CI set)'
complete -c acjwt -n "__fish_acjwt_using_subcommand explain" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c acjwt -n "__fish_acjwt_using_subcommand explain" -s V -l version -d 'Print version'
complete -c acjwt -n "__fish_acjwt_using_subcommand serve" -l iss -d 'Issuer: your application\'s name' -r
complete -c acjwt -n "__fish_acjwt_using_subcommand serve" -l rtoken -d 'Role token from the resource\'s settings (prefer ACJWT_RTOKEN or --rtoken-file: command lines end up in shell history and process lists)' -r
complete -c acjwt -n "__fish_acjwt_using_subcommand serve" -l users -d 'Named users, TOML: one table per user holding its matching object and an optional ttl, e.g. [alice] matching = "email", db_id = 2, email = "alice@example.com". Reread on SIGHUP' -r
complete -c acjwt -n "__fish_acjwt_using_subcommand serve" -l listen -d 'Where to listen: IP:PORT (port 0 takes a free one) or unix:PATH' -r
complete -c acjwt -n "__fish_acjwt_using_subcommand serve" -l ttl -d 'Lifetime of tokens when a request names none' -r
complete -c acjwt -n "__fish_acjwt_using_subcommand serve" -l max-ttl -d 'The longest ttl a request (or a user) may ask for' -r
complete -c acjwt -n "__fish_acjwt_using_subcommand serve" -l access-token-file -d 'File holding the access token API calls must send as Authorization: Bearer (or set ACJWT_ACCESS_TOKEN). Required on an address other than loopback, where without it a token is generated and shown once if stderr is a terminal' -r
complete -c acjwt -n "__fish_acjwt_using_subcommand serve" -l cors-origin -d 'Allow this origin to call the API from a browser (CORS); none by default' -r
complete -c acjwt -n "__fish_acjwt_using_subcommand serve" -l log-format -d 'Request log format on stderr' -r -f -a "text\t'`GET /token/{user} 200 0.4ms`'
json\t'`{"time":..., "method":"GET", "route":"/token/{user}", "status":200, "duration_ms":0.4}`'"
complete -c acjwt -n "__fish_acjwt_using_subcommand serve" -l header-read-timeout -d 'Close a connection whose request header has not arrived within this time (hyper starts the clock when it waits for a request, so this also closes idle keep-alive connections)' -r
complete -c acjwt -n "__fish_acjwt_using_subcommand serve" -l idle-timeout -d 'Close a connection with no traffic at all for this long (in a request as well)' -r
complete -c acjwt -n "__fish_acjwt_using_subcommand serve" -l request-timeout -d 'Answer a request (body included) within this time, or 408' -r
complete -c acjwt -n "__fish_acjwt_using_subcommand serve" -l shutdown-grace -d 'On SIGINT/SIGTERM, wait this long for in-flight requests' -r
complete -c acjwt -n "__fish_acjwt_using_subcommand serve" -l max-connections -d 'Open connections at most; more get a 503' -r
complete -c acjwt -n "__fish_acjwt_using_subcommand serve" -l backend -d 'Signing library: aws-lc (fastest; in the default build) or rustcrypto (pure Rust). Default: the fastest this build has' -r
complete -c acjwt -n "__fish_acjwt_using_subcommand serve" -l key -d 'Private key file (PEM, DER or JWK), reread on SIGHUP. An encrypted PKCS#8 key needs ACJWT_KEY_PASSPHRASE, since a reload cannot prompt' -r
complete -c acjwt -n "__fish_acjwt_using_subcommand serve" -l rtoken-file -d 'Read the role token from a file, reread on SIGHUP: one line; a BOM and the final newline are dropped. Cannot be combined with --rtoken; it takes precedence over ACJWT_RTOKEN' -r
complete -c acjwt -n "__fish_acjwt_using_subcommand serve" -l kid -d 'Key id for every token and the JWKS (default: the kid of a JWK key, or the one keygen --kid recorded in <key>.kid, or else the key\'s RFC 7638 thumbprint)' -r
complete -c acjwt -n "__fish_acjwt_using_subcommand serve" -l color -d 'When to use colour: auto (a terminal without NO_COLOR), always or never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c acjwt -n "__fish_acjwt_using_subcommand serve" -l no-input -d 'Never prompt; fail at once when a value is missing (implied without a terminal or with CI set)'
complete -c acjwt -n "__fish_acjwt_using_subcommand serve" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c acjwt -n "__fish_acjwt_using_subcommand serve" -s V -l version -d 'Print version'
complete -c acjwt -n "__fish_acjwt_using_subcommand completions" -l dir -d 'Write the scripts for every shell into this folder instead' -r -F
complete -c acjwt -n "__fish_acjwt_using_subcommand completions" -l color -d 'When to use colour: auto (a terminal without NO_COLOR), always or never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c acjwt -n "__fish_acjwt_using_subcommand completions" -l no-input -d 'Never prompt; fail at once when a value is missing (implied without a terminal or with CI set)'
complete -c acjwt -n "__fish_acjwt_using_subcommand completions" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c acjwt -n "__fish_acjwt_using_subcommand completions" -s V -l version -d 'Print version'
complete -c acjwt -n "__fish_acjwt_using_subcommand man" -l dir -d 'Write acjwt.1 and acjwt-SUBCOMMAND.1 pages into this folder' -r -F
complete -c acjwt -n "__fish_acjwt_using_subcommand man" -l color -d 'When to use colour: auto (a terminal without NO_COLOR), always or never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c acjwt -n "__fish_acjwt_using_subcommand man" -l no-input -d 'Never prompt; fail at once when a value is missing (implied without a terminal or with CI set)'
complete -c acjwt -n "__fish_acjwt_using_subcommand man" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c acjwt -n "__fish_acjwt_using_subcommand man" -s V -l version -d 'Print version'
complete -c acjwt -n "__fish_acjwt_using_subcommand help; and not __fish_seen_subcommand_from keygen matching mint decode verify header key explain serve completions man help" -f -a "keygen" -d 'Generate a key pair: the private key signs tokens, the public key goes to the platform'
complete -c acjwt -n "__fish_acjwt_using_subcommand help; and not __fish_seen_subcommand_from keygen matching mint decode verify header key explain serve completions man help" -f -a "matching" -d 'Assemble and validate matching objects (which profile a token acts for)'
complete -c acjwt -n "__fish_acjwt_using_subcommand help; and not __fish_seen_subcommand_from keygen matching mint decode verify header key explain serve completions man help" -f -a "mint" -d 'Sign a token: {"iss", "exp", "rtoken", "matching"} with matching as a JSON string'
complete -c acjwt -n "__fish_acjwt_using_subcommand help; and not __fish_seen_subcommand_from keygen matching mint decode verify header key explain serve completions man help" -f -a "decode" -d 'Show a token\'s header and claims, matching unpacked and times made human. No key needed, and nothing is verified: use `acjwt verify` for that'
complete -c acjwt -n "__fish_acjwt_using_subcommand help; and not __fish_seen_subcommand_from keygen matching mint decode verify header key explain serve completions man help" -f -a "verify" -d 'Verify a token: signature, algorithm, exp/nbf/iat and the Altcraft claims'
complete -c acjwt -n "__fish_acjwt_using_subcommand help; and not __fish_seen_subcommand_from keygen matching mint decode verify header key explain serve completions man help" -f -a "header" -d 'Print the Authorization header value the SDK sends, for trying the platform API with curl'
complete -c acjwt -n "__fish_acjwt_using_subcommand help; and not __fish_seen_subcommand_from keygen matching mint decode verify header key explain serve completions man help" -f -a "key" -d 'Inspect and convert key files: PEM (SEC1, PKCS#8, PKCS#1, SPKI), DER, JWK and JWKS'
complete -c acjwt -n "__fish_acjwt_using_subcommand help; and not __fish_seen_subcommand_from keygen matching mint decode verify header key explain serve completions man help" -f -a "explain" -d 'Explain whether a token will work: every check, in the order a support engineer goes'
complete -c acjwt -n "__fish_acjwt_using_subcommand help; and not __fish_seen_subcommand_from keygen matching mint decode verify header key explain serve completions man help" -f -a "serve" -d 'Serve tokens over HTTP: the token service an app under development (or a backend) calls'
complete -c acjwt -n "__fish_acjwt_using_subcommand help; and not __fish_seen_subcommand_from keygen matching mint decode verify header key explain serve completions man help" -f -a "completions" -d 'Print a shell completion script, or write all of them to a folder'
complete -c acjwt -n "__fish_acjwt_using_subcommand help; and not __fish_seen_subcommand_from keygen matching mint decode verify header key explain serve completions man help" -f -a "man" -d 'Print the acjwt(1) man page, or write every page (one per subcommand) to a folder'
complete -c acjwt -n "__fish_acjwt_using_subcommand help; and not __fish_seen_subcommand_from keygen matching mint decode verify header key explain serve completions man help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c acjwt -n "__fish_acjwt_using_subcommand help; and __fish_seen_subcommand_from matching" -f -a "build" -d 'Print a matching object as compact JSON, checked against its mode\'s required fields'
complete -c acjwt -n "__fish_acjwt_using_subcommand help; and __fish_seen_subcommand_from matching" -f -a "modes" -d 'List the matching modes, the fields each needs, and what each matches on'
complete -c acjwt -n "__fish_acjwt_using_subcommand help; and __fish_seen_subcommand_from key" -f -a "inspect" -d 'Say what a key file is and whether the platform accepts it for JWT auth'
complete -c acjwt -n "__fish_acjwt_using_subcommand help; and __fish_seen_subcommand_from key" -f -a "public" -d 'Print the public half of a key: SPKI PEM (what the platform takes), or a JWK/JWKS'
complete -c acjwt -n "__fish_acjwt_using_subcommand help; and __fish_seen_subcommand_from key" -f -a "convert" -d 'Write a key in another format'
