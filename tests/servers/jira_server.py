#!/usr/bin/env python3
"""A loopback Jira for Vigil's tests: the REST subset Vigil uses, v2 and v3, kept in memory.

    python3 tests/servers/jira_server.py --user USER --token TOKEN [--project KEY] [--port N]

--exit-with-stdin: exit when stdin closes (how the Rust test kit ties us to its process).
Every /rest/ request must carry Basic auth USER:TOKEN (401 otherwise).
  GET  /rest/api/N/myself                         {"name", "displayName"}
  GET  /rest/api/2/search?jql=...                 {"issues": [...], "total": n}
  GET  /rest/api/3/search/jql?jql=...             {"issues": [...]}   (the enhanced search)
  POST /rest/api/3/search/jql {"jql": ...}        {"issues": [...]}
       JQL understood: clauses joined by AND of  labels = "x"  and  project = "KEY"
       (quotes optional).
  POST /rest/api/N/issue {"fields": {project: {key}, issuetype: {name}, summary, description,
       labels}}  201 {"id", "key", "self"}. v2 wants a string description, v3 an Atlassian
       Document Format document ({"type": "doc", "version": 1, ...}): 400 otherwise.
  POST /rest/api/N/issue/KEY/comment {"body": string (v2) | ADF (v3)}   201
  GET  /rest/api/N/issue/KEY/comment              {"comments": [{"id", "body"}], "total"}
  GET  /rest/api/N/issue/KEY/transitions          {"transitions": [{"id", "name", "to"}]}
       (11 "In Progress", 21 "Done", 31 "Won't Fix")
  POST /rest/api/N/issue/KEY/transitions {"transition": {"id": "21"}}   204
Test endpoints:
  GET  /_state     {"issues": [{key, project, issuetype, summary, description, labels,
                   status, comments: [body...], transitions: [name...], api}], "requests": [..]}
  POST /_control   {"loseNextCreates": N}: the next N creates store the issue but answer 502
                   (a response lost in a crash: the client must not open a second issue)

When ready it prints one JSON line to stdout: {"port": N, "url": "http://127.0.0.1:N"}.
Standard library only.
"""
import argparse
import base64
import json
import os
import re
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

LOCK = threading.Lock()
STATE = {"issues": [], "requests": [], "loseNextCreates": 0}
ARGS = None
TRANSITIONS = [
    {"id": "11", "name": "In Progress", "to": {"name": "In Progress"}},
    {"id": "21", "name": "Done", "to": {"name": "Done"}},
    {"id": "31", "name": "Won't Fix", "to": {"name": "Won't Fix"}},
]
CLAUSE = re.compile(r'^\s*(labels|project)\s*=\s*"?([^"]*?)"?\s*$', re.IGNORECASE)


def jql_filter(jql):
    tests = []
    for clause in re.split(r"\s+AND\s+", jql.strip(), flags=re.IGNORECASE):
        m = CLAUSE.match(clause)
        if not m:
            return None
        field, value = m.group(1).lower(), m.group(2)
        if field == "labels":
            tests.append(lambda i, v=value: v in i["labels"])
        else:
            tests.append(lambda i, v=value: i["project"] == v)
    return lambda issue: all(t(issue) for t in tests)


def is_adf(doc):
    return isinstance(doc, dict) and doc.get("type") == "doc" and doc.get("version") == 1 and isinstance(doc.get("content"), list)


def issue_json(issue):
    return {
        "id": issue["id"],
        "key": issue["key"],
        "fields": {"summary": issue["summary"], "labels": issue["labels"], "status": {"name": issue["status"]}},
    }


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):
        pass

    def reply(self, status, data=None):
        body = b"" if data is None else json.dumps(data).encode()
        self.send_response(status)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def error(self, status, message, field=None):
        errors = {field: message} if field else {}
        self.reply(status, {"errorMessages": [] if field else [message], "errors": errors})

    def handle_any(self):
        length = int(self.headers.get("content-length") or 0)
        raw = self.rfile.read(length) if length else b""
        url = urlparse(self.path)
        if url.path == "/_state":
            with LOCK:
                return self.reply(200, {"issues": STATE["issues"], "requests": STATE["requests"]})
        if url.path == "/_control" and self.command == "POST":
            with LOCK:
                STATE["loseNextCreates"] = int(json.loads(raw or b"{}").get("loseNextCreates", 0))
            return self.reply(200, {"ok": True})
        with LOCK:
            STATE["requests"].append({"method": self.command, "path": self.path})

        expected = "Basic " + base64.b64encode(f"{ARGS.user}:{ARGS.token}".encode()).decode()
        if self.headers.get("authorization") != expected:
            return self.error(401, "You are not authenticated. Authentication required to perform this operation.")
        m = re.match(r"^/rest/api/([23])/(.*)$", url.path)
        if not m:
            return self.error(404, "No such endpoint")
        api, rest = int(m.group(1)), m.group(2)
        try:
            body = json.loads(raw) if raw else {}
        except ValueError:
            return self.error(400, "Unexpected character in the JSON body")

        if rest == "myself" and self.command == "GET":
            return self.reply(200, {"name": ARGS.user, "displayName": f"Test user {ARGS.user}", "active": True})

        if (api, rest, self.command) in ((2, "search", "GET"), (3, "search/jql", "GET"), (3, "search/jql", "POST")):
            jql = body.get("jql") if self.command == "POST" else (parse_qs(url.query).get("jql") or [""])[0]
            test = jql_filter(jql or "")
            if test is None:
                return self.error(400, f"Error in the JQL Query: cannot parse {jql!r}")
            with LOCK:
                found = [issue_json(i) for i in STATE["issues"] if test(i)]
            result = {"issues": found}
            if api == 2:
                result.update(startAt=0, maxResults=50, total=len(found))
            else:
                result["isLast"] = True
            return self.reply(200, result)

        if rest == "issue" and self.command == "POST":
            fields = body.get("fields") or {}
            project = (fields.get("project") or {}).get("key")
            if project != ARGS.project:
                return self.error(400, "valid project is required", "project")
            if not (fields.get("issuetype") or {}).get("name"):
                return self.error(400, "valid issue type is required", "issuetype")
            if not fields.get("summary") or len(fields["summary"]) > 255 or "\n" in fields["summary"]:
                return self.error(400, "summary must be one line of at most 255 characters", "summary")
            desc = fields.get("description")
            if desc is not None and ((api == 2 and not isinstance(desc, str)) or (api == 3 and not is_adf(desc))):
                return self.error(400, "Operation value must be " + ("a string" if api == 2 else "an Atlassian Document"), "description")
            labels = fields.get("labels") or []
            if any((" " in label) or not label for label in labels):
                return self.error(400, "labels cannot contain spaces", "labels")
            with LOCK:
                number = len(STATE["issues"]) + 1
                issue = {
                    "id": str(10000 + number),
                    "key": f"{project}-{number}",
                    "project": project,
                    "issuetype": fields["issuetype"]["name"],
                    "summary": fields["summary"],
                    "description": desc,
                    "labels": list(labels),
                    "status": "To Do",
                    "comments": [],
                    "transitions": [],
                    "api": api,
                }
                STATE["issues"].append(issue)
                lose = STATE["loseNextCreates"] > 0
                if lose:
                    STATE["loseNextCreates"] -= 1
            if lose:
                return self.error(502, "Bad gateway (test: the answer to a create that was stored)")
            port = self.server.server_address[1]
            return self.reply(201, {"id": issue["id"], "key": issue["key"], "self": f"http://127.0.0.1:{port}/rest/api/{api}/issue/{issue['id']}"})

        m = re.match(r"^issue/([A-Z][A-Z0-9]*-\d+)/(comment|transitions)$", rest)
        if m:
            key, what = m.group(1), m.group(2)
            with LOCK:
                issue = next((i for i in STATE["issues"] if i["key"] == key), None)
            if issue is None:
                return self.error(404, "Issue does not exist or you do not have permission to see it.")
            if what == "comment" and self.command == "GET":
                with LOCK:
                    listed = [{"id": str(i + 1), "body": b} for i, b in enumerate(issue["comments"])]
                return self.reply(200, {"startAt": 0, "maxResults": 5000, "total": len(listed), "comments": listed})
            if what == "comment" and self.command == "POST":
                text = body.get("body")
                if (api == 2 and not isinstance(text, str)) or (api == 3 and not is_adf(text)) or not text:
                    return self.error(400, "Comment body is not valid for this API version", "comment")
                with LOCK:
                    issue["comments"].append(text)
                    number = len(issue["comments"])
                return self.reply(201, {"id": str(number), "body": text})
            if what == "transitions" and self.command == "GET":
                return self.reply(200, {"transitions": TRANSITIONS})
            if what == "transitions" and self.command == "POST":
                wanted = (body.get("transition") or {}).get("id")
                match = next((t for t in TRANSITIONS if t["id"] == wanted), None)
                if match is None:
                    return self.error(400, "Transition id is not valid for this issue", "transition")
                with LOCK:
                    issue["status"] = match["to"]["name"]
                    issue["transitions"].append(match["name"])
                return self.reply(204)
        return self.error(404, f"No such endpoint {self.command} {url.path}")

    do_GET = do_POST = do_PUT = handle_any



def exit_when_stdin_closes():
    """--exit-with-stdin: the Rust test kit holds our stdin open; when its process dies (even
    killed outright, when no Drop runs), the pipe closes and this server goes too."""
    def watch():
        while sys.stdin.buffer.read(65536):
            pass
        os._exit(0)

    threading.Thread(target=watch, daemon=True).start()

def main():
    global ARGS
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--user", required=True)
    parser.add_argument("--token", required=True)
    parser.add_argument("--project", default="VIG")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--exit-with-stdin", action="store_true", help="exit when stdin closes (the test kit's pipe)")
    ARGS = parser.parse_args()
    if ARGS.exit_with_stdin:
        exit_when_stdin_closes()
    server = ThreadingHTTPServer(("127.0.0.1", ARGS.port), Handler)
    server.daemon_threads = True
    port = server.server_address[1]
    print(json.dumps({"port": port, "url": f"http://127.0.0.1:{port}"}), flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
