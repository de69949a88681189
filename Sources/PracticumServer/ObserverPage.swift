// The instructor's page, served at `/`. Self-contained (no external scripts, so it works on an
// offline training network); it speaks the observer side of docs/live-protocol.md over /observe.
// The observer token is typed in, or given in the address's fragment (`/#token=…`), which the
// browser never sends to the server in a request line or a log.

/// The observer page's HTML, CSS and JavaScript.
enum ObserverPage {
    static let html = #"""
<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Practicum — live sessions</title>
<style>
body{font:14px system-ui,sans-serif;margin:0;background:#f4f5f7;color:#222}
header{background:#234;color:#fff;padding:8px 16px;display:flex;gap:12px;align-items:center}
header h1{font-size:16px;margin:0;flex:1}
main{display:grid;grid-template-columns:260px 1fr 320px;gap:12px;padding:12px}
section{background:#fff;border-radius:6px;padding:10px;box-shadow:0 1px 2px #0002}
h2{font-size:13px;text-transform:uppercase;color:#567;margin:0 0 8px}
ul{list-style:none;margin:0;padding:0}
#sessions li{padding:6px;border-radius:4px;cursor:pointer}
#sessions li:hover,#sessions li.on{background:#e3ecf7}
#steps li{padding:3px 0}
.st-active{color:#06c;font-weight:600}.st-completed{color:#080}.st-failed{color:#c00}.st-skipped{color:#999}
#events{max-height:260px;overflow:auto;font-size:12px}
#vitals td{padding:2px 8px 2px 0}.alarm{color:#c00;font-weight:600}
button{margin:2px 4px 2px 0;padding:4px 10px}
canvas{width:100%;background:#fbfbfd;border:1px solid #ddd;border-radius:4px}
#state{font-size:12px;color:#567}
</style></head><body>
<header><h1>Practicum — live sessions</h1>
<label>Observer token <input id="token" type="password" size="24"></label><button id="connect">Connect</button>
<span id="conn">not connected</span></header>
<main>
<section><h2>Sessions</h2><ul id="sessions"></ul><button id="refresh">Refresh</button></section>
<section><h2 id="title">No session selected</h2><div id="state"></div>
<canvas id="view" width="640" height="400"></canvas>
<div id="controls"><button id="pause">Pause</button><button id="resume">Resume</button><button id="end">End session</button>
<div id="triggers"></div></div>
<h2>Events</h2><ul id="events"></ul></section>
<section><h2>Steps</h2><ul id="steps"></ul><h2>Vitals</h2><table id="vitals"></table><h2>Gauges</h2><table id="gauges"></table></section>
</main>
<script>
"use strict";
let ws = null, current = null, bodies = [], stepsMeta = [], lastState = null;
const $ = id => document.getElementById(id);
const frag = new URLSearchParams(location.hash.slice(1));
if (frag.get("token")) $("token").value = frag.get("token");
function send(o) { if (ws && ws.readyState === 1) ws.send(JSON.stringify(o)); }
function connect() {
  ws = new WebSocket((location.protocol === "https:" ? "wss://" : "ws://") + location.host + "/observe");
  ws.binaryType = "arraybuffer";
  ws.onopen = () => send({type: "hello", protocol: 1, token: $("token").value});
  ws.onclose = () => { $("conn").textContent = "disconnected"; };
  ws.onmessage = ev => typeof ev.data === "string" ? onText(JSON.parse(ev.data)) : onBinary(new DataView(ev.data));
}
function onText(m) {
  switch (m.type) {
  case "welcome": $("conn").textContent = "connected"; break;
  case "sessions": listSessions(m.sessions); break;
  case "started": showSession(m); break;
  case "steps": showSteps(m.steps); break;
  case "events": for (const e of m.events) addEvent(e); break;
  case "vitals": showVitals(m); break;
  case "hud": break;
  case "ended": $("state").textContent = "ended: " + m.reason + (m.score != null ? " — score " + m.score.toFixed(1) : ""); send({type: "list"}); break;
  case "error": $("conn").textContent = "error: " + m.message; break;
  default: if (m.state) $("state").textContent = m.state + " — tick " + m.tick;
  }
}
function listSessions(list) {
  const ul = $("sessions"); ul.innerHTML = "";
  for (const s of list) {
    const li = document.createElement("li");
    li.textContent = s.title + " — " + (s.trainee || "anonymous") + (s.ended ? " (ended)" : "");
    li.dataset.session = s.session;
    if (current === s.session) li.className = "on";
    li.onclick = () => send({type: "watch", session: s.session});
    ul.appendChild(li);
  }
}
function showSession(m) {
  current = m.session; bodies = m.bodies; stepsMeta = m.steps;
  $("title").textContent = m.title + " — " + (m.trainee || "anonymous");
  $("events").innerHTML = "";
  const t = $("triggers"); t.innerHTML = "";
  for (const id of m.instructor_events) {
    const b = document.createElement("button");
    b.textContent = "Trigger " + id; b.dataset.event = id; b.className = "trigger";
    b.onclick = () => send({type: "trigger", event: id});
    t.appendChild(b);
  }
  showSteps(stepsMeta.map(() => "pending"));
  for (const li of $("sessions").children) li.className = li.dataset.session === current ? "on" : "";
}
function showSteps(states) {
  const ul = $("steps"); ul.innerHTML = "";
  states.forEach((st, i) => {
    const li = document.createElement("li");
    li.className = "st-" + st; li.dataset.state = st;
    li.textContent = (stepsMeta[i] ? stepsMeta[i].title : "step " + i) + " — " + st;
    ul.appendChild(li);
  });
}
function addEvent(e) {
  const li = document.createElement("li");
  li.textContent = e.time.toFixed(2) + " s  " + e.kind.replace(/_/g, " ") + " " + (e.title || e.event || e.text || e.reason || "");
  li.dataset.kind = e.kind;
  $("events").prepend(li);
}
function showVitals(m) {
  $("vitals").innerHTML = m.vitals.map(v => `<tr class="${v.alarm ? "alarm" : ""}"><td>${esc(v.name)}</td><td>${v.value.toFixed(1)} ${esc(v.unit)}</td></tr>`).join("");
  $("gauges").innerHTML = m.gauges.map(g => `<tr><td>${esc(g.title)}</td><td>${g.value.toFixed(1)} ${esc(g.unit)}</td></tr>`).join("");
}
function esc(s) { return String(s).replace(/[&<>"]/g, c => ({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;"})[c]); }
function onBinary(d) {
  if (d.getUint8(0) !== 0x81) return;
  const hands = d.getUint8(1), n = d.getUint16(2, true), tick = d.getUint32(4, true), time = d.getFloat64(16, true);
  const poses = [];
  for (let i = 0; i < n; i++) { const o = 24 + i * 28; poses.push([d.getFloat32(o, true), d.getFloat32(o + 4, true), d.getFloat32(o + 8, true)]); }
  const forces = [];
  for (let h = 0; h < hands; h++) forces.push(d.getFloat32(24 + n * 28 + h * 4, true));
  lastState = {tick, time, poses, forces, dropped: d.getUint32(12, true)};
  $("state").textContent = "tick " + tick + " — " + time.toFixed(2) + " s — hand forces " + forces.map(f => f.toFixed(1) + " N").join(", ");
  $("state").dataset.tick = tick;
}
// top-down view (x right, z down the page), scaled to fit the bodies
function draw() {
  const c = $("view"), g = c.getContext("2d");
  g.clearRect(0, 0, c.width, c.height);
  if (lastState && lastState.poses.length) {
    const xs = lastState.poses.map(p => p[0]), zs = lastState.poses.map(p => p[2]);
    const cx = (Math.min(...xs) + Math.max(...xs)) / 2, cz = (Math.min(...zs) + Math.max(...zs)) / 2;
    const span = Math.max(0.2, Math.max(...xs) - Math.min(...xs), Math.max(...zs) - Math.min(...zs)) * 1.3;
    const k = Math.min(c.width, c.height) / span;
    lastState.poses.forEach((p, i) => {
      const x = c.width / 2 + (p[0] - cx) * k, y = c.height / 2 + (p[2] - cz) * k;
      const kind = bodies[i] ? bodies[i].kind : "";
      g.fillStyle = kind === "instrument" ? "#d60" : kind === "static" ? "#789" : "#39c";
      g.beginPath(); g.arc(x, y, kind === "instrument" ? 5 : 8, 0, 7); g.fill();
      // labels: to the left near the right edge, stacked when bodies share a spot
      const label = bodies[i] ? bodies[i].name : String(i), w = g.measureText(label).width;
      const lx = x + 9 + w > c.width ? x - 9 - w : x + 9;
      g.fillStyle = "#333"; g.font = "11px sans-serif"; g.fillText(label, lx, y + 4 + 13 * (i % 3));
    });
  }
  requestAnimationFrame(draw);
}
$("connect").onclick = connect;
$("refresh").onclick = () => send({type: "list"});
$("pause").onclick = () => send({type: "pause"});
$("resume").onclick = () => send({type: "resume"});
$("end").onclick = () => send({type: "end"});
if ($("token").value) connect();
setInterval(() => send({type: "list"}), 2000);
requestAnimationFrame(draw);
</script></body></html>
"""#
}
