// OS1's page: sign in, the interview, the conversation, the memory view (voice.js: talk).
// Plain JavaScript, no build step. Text from the server is only ever set as textContent.

const $ = (id) => document.getElementById(id);
const state = { token: localStorage.getItem("os1.token") || "", ws: null, me: null,
                turn: null, pendingAction: null, questions: [], answers: {}, step: 0 };

function show(section) {
  for (const id of ["signin", "interview", "talk", "memory"]) $(id).hidden = id !== section;
}

async function api(method, path, body) {
  const response = await fetch(path, {
    method,
    headers: { "Authorization": `Bearer ${state.token}`,
               ...(body === undefined ? {} : { "Content-Type": "application/json" }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const data = await response.json().catch(() => ({}));
  if (!response.ok) {
    const error = new Error((data.error && data.error.message) || `HTTP ${response.status}`);
    error.status = response.status;
    throw error;
  }
  return data;
}

// -- signing in --------------------------------------------------------------------

async function start() {
  if (!state.token) { show("signin"); return; }
  try {
    state.me = await api("GET", "/api/me");
  } catch (error) {
    if (error.status === 401) { signOut(error.message); return; }
    $("signin-error").textContent = error.message;
    show("signin");
    return;
  }
  if (state.me.setup_needed) await beginInterview(); else await beginTalk();
}

function signOut(message = "") {
  localStorage.removeItem("os1.token");
  state.token = "";
  if (state.ws) state.ws.close();
  $("signin-error").textContent = message;
  show("signin");
}

$("signin-form").addEventListener("submit", (event) => {
  event.preventDefault();
  state.token = $("token").value.trim();
  localStorage.setItem("os1.token", state.token);
  $("token").value = "";
  start();
});
$("sign-out").addEventListener("click", () => signOut());

// -- the interview -----------------------------------------------------------------

async function beginInterview() {
  const interview = await api("GET", "/api/interview");
  state.questions = interview.questions;
  state.answers = {};
  state.step = -1;
  $("interview-form").hidden = false;
  $("interview-result").hidden = true;
  $("interview-line").textContent = interview.opening;
  $("answer").hidden = true;
  $("answer-next").textContent = "Go on";
  show("interview");
}

function nextQuestion() {
  state.step += 1;
  const question = state.questions[state.step];
  $("interview-line").textContent = question.text;
  $("answer").hidden = false;
  $("answer").value = "";
  $("answer").placeholder = question.default ? `(${question.default})` : "";
  $("answer-next").textContent = "Next";
  $("answer").focus();
}

$("interview-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  $("interview-error").textContent = "";
  if (state.step >= 0) {
    const question = state.questions[state.step];
    const answer = $("answer").value.trim();
    if (!answer && question.required) { $("interview-error").textContent = "I'd like an answer to that one."; return; }
    state.answers[question.key] = answer;
  }
  if (state.step + 1 < state.questions.length) { nextQuestion(); return; }
  $("interview-form").hidden = true;
  $("interview-line").textContent = "Thank you. Please wait while your companion is initiated…";
  try {
    const result = await api("POST", "/api/interview", state.answers);
    $("interview-line").textContent = "";
    $("setup-lines").textContent = result.lines.join("\n\n");
    $("interview-result").hidden = false;
  } catch (error) {
    $("interview-error").textContent = error.message;
    state.step = -1;
    $("interview-form").hidden = false;
  }
});

$("begin").addEventListener("click", () => start());

// -- the conversation --------------------------------------------------------------

function addTurn(kind, text) {
  const p = document.createElement("p");
  p.className = `turn ${kind}`;
  p.textContent = text;
  $("log").append(p);
  p.scrollIntoView({ block: "end" });
  return p;
}

// A piece OS1 composed or found for this moment: fetched with the token (an <audio>
// element cannot send one), then played here, with controls to pause or play it again.
async function playPiece(frame) {
  const turn = addTurn("piece", `\u266a ${frame.title}`);
  try {
    const audio = document.createElement("audio");
    audio.controls = true;
    audio.src = URL.createObjectURL(await fetchAudio(frame.audio));
    turn.append(audio);
    turn.scrollIntoView({ block: "end" });
    audio.play().catch(() => {}); // a browser may want a click first: the controls are there
  } catch (error) {
    turn.append(` (it could not be loaded: ${error.message})`);
  }
}

// A connection dropped on the way (fetch's TypeError, not an HTTP answer) is tried once more:
// a piece is tens of megabytes, and one lost connection should not lose the music.
async function fetchAudio(url) { // the server says where: one place
  for (let attempt = 1; ; attempt++) {
    try {
      const response = await fetch(url, { headers: { "Authorization": `Bearer ${state.token}` } });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      return await response.blob();
    } catch (error) {
      if (attempt >= 2 || !(error instanceof TypeError)) throw error;
    }
  }
}

async function beginTalk() {
  $("send").disabled = true;
  $("companion-name").textContent = state.me.persona.name;
  $("log").textContent = "";
  show("talk");
  const history = await api("GET", "/api/history?thread=main&limit=30");
  for (const turn of history) {
    const p = addTurn(turn.role === "user" ? "user" : "os1", turn.text);
    if (turn.interrupted) p.classList.add("interrupted");
  }
  if (!history.length) addTurn("os1", `Hi, ${state.me.persona.user_name}. I'm ${state.me.persona.name}. How are you, really?`);
  connect();
}

function connect() {
  const scheme = location.protocol === "https:" ? "wss" : "ws";
  const ws = new WebSocket(`${scheme}://${location.host}/api/conversation`);
  state.ws = ws;
  ws.binaryType = "arraybuffer"; // OS1's spoken sentences, one WAV a frame
  $("send").disabled = true;
  ws.onopen = () => ws.send(JSON.stringify({ type: "hello", token: state.token, thread: "main" }));
  ws.onmessage = (message) => {
    if (typeof message.data === "string") onFrame(JSON.parse(message.data));
    else if (window.os1Voice && !state.stopping) window.os1Voice.audio(message.data);
  };
  ws.onclose = (event) => {
    if (state.ws !== ws) return;
    setBusy(false);
    $("send").disabled = true;
    if (event.code === 4401) { signOut("Please sign in again."); return; }
    $("talk-status").textContent = "Reconnecting…";
    setTimeout(() => { if (state.ws === ws && state.token) connect(); }, 1500);
  };
}

function setBusy(busy) {
  $("send").disabled = busy;
  $("stop").hidden = !busy;
}

function onFrame(frame) {
  switch (frame.type) {
    case "ready":
      $("talk-status").textContent = "";
      $("send").disabled = false;
      $("talk-button").hidden = !frame.voice;
      if (frame.voice && window.os1Voice) window.os1Voice.enable(voiceHooks);
      break;
    case "heard": // what OS1 heard of a push-to-talk clip
      addTurn("user", frame.text);
      state.turn = null;
      break;
    case "stopped":
      state.stopping = false;
      break;
    case "delta":
      if (state.stopping) break;
      if (!state.turn) state.turn = addTurn("os1", "");
      state.turn.textContent += frame.text;
      state.turn.scrollIntoView({ block: "end" });
      break;
    case "notice": addTurn("notice", frame.text); break;
    case "tool": addTurn("tool", `(using ${frame.name}…)`); break;
    case "piece": playPiece(frame); break;
    case "confirm":
      state.pendingAction = frame.action_id;
      $("confirm-summary").textContent = frame.summary;
      $("confirm").hidden = false;
      break;
    case "decided":
      $("confirm").hidden = true;
      addTurn("notice", frame.text);
      break;
    case "done":
      state.turn = null;
      setBusy(false);
      break;
    case "error":
      if (state.turn) { state.turn.classList.add("interrupted"); state.turn = null; }
      addTurn("error", frame.message);
      setBusy(false);
      break;
    default:
      if (window.os1Voice) window.os1Voice.frame(frame);
  }
}

function sendMessage(text) {
  if (!state.ws || state.ws.readyState !== WebSocket.OPEN) { addTurn("error", "Not connected yet; one moment."); return; }
  addTurn("user", text);
  state.turn = null;
  setBusy(true);
  state.ws.send(JSON.stringify({ type: "message", text }));
}

$("say").addEventListener("submit", (event) => {
  event.preventDefault();
  if ($("send").disabled) return;
  const text = $("message").value.trim();
  if (!text) return;
  $("message").value = "";
  sendMessage(text);
});
$("message").addEventListener("keydown", (event) => {
  if (event.key === "Enter" && !event.shiftKey) { event.preventDefault(); $("say").requestSubmit(); }
});
function stopReply() {
  state.stopping = true;
  if (state.ws) state.ws.send(JSON.stringify({ type: "stop" }));
  if (state.turn) state.turn.classList.add("interrupted");
  state.turn = null;
  setBusy(false);
  if (window.os1Voice) window.os1Voice.stop();
}
$("stop").addEventListener("click", stopReply);

// What voice.js needs of the conversation.
const voiceHooks = {
  get ws() { return state.ws; },
  busy: () => !$("stop").hidden,
  stopReply,
  sent: () => { state.turn = null; setBusy(true); },
};
for (const [id, yes] of [["confirm-yes", true], ["confirm-no", false]]) {
  $(id).addEventListener("click", () => {
    state.ws.send(JSON.stringify({ type: "decide", action_id: state.pendingAction, yes }));
    $("confirm").hidden = true;
  });
}

// -- the memory view ---------------------------------------------------------------

function item(text, when, actions) {
  const li = document.createElement("li");
  const span = document.createElement("span");
  span.className = "text";
  span.textContent = text;
  const small = document.createElement("span");
  small.className = "when";
  small.textContent = when.slice(0, 16).replace("T", " ");
  li.append(span, small, document.createElement("br"));
  for (const [label, handler] of actions) {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "quiet";
    button.textContent = label;
    button.addEventListener("click", () => handler(li, span));
    li.append(button);
  }
  return li;
}

async function guarded(work) {
  $("memory-error").textContent = "";
  try { await work(); } catch (error) { $("memory-error").textContent = error.message; }
}

function correct(fact) {
  return (li, span) => {
    const input = document.createElement("input");
    input.value = fact.statement;
    input.setAttribute("aria-label", "Corrected memory");
    const save = document.createElement("button");
    save.type = "button";
    save.textContent = "Save";
    save.addEventListener("click", () => guarded(async () => {
      await api("PATCH", `/api/memory/facts/${fact.id}`, { statement: input.value });
      await openMemory();
    }));
    span.replaceWith(input);
    li.append(save);
    input.focus();
  };
}

function forget(path) {
  return (li) => guarded(async () => {
    if (!confirm("Forget this for good?")) return;
    await api("DELETE", path);
    li.remove();
  });
}

async function openMemory() {
  const memory = await api("GET", "/api/memory");
  $("facts").textContent = "";
  for (const fact of memory.facts) {
    $("facts").append(item(fact.statement, fact.since, [
      ["Correct", correct(fact)], ["Forget", forget(`/api/memory/facts/${fact.id}`)]]));
  }
  $("turns").textContent = "";
  for (const turn of memory.turns) {
    const who = turn.role === "user" ? "You" : state.me.persona.name;
    $("turns").append(item(`${who}: ${turn.text}`, turn.when, [
      ["Forget", forget(`/api/memory/turns/${turn.id}`)]]));
  }
  show("memory");
}

$("open-memory").addEventListener("click", () => guarded(openMemory));
$("close-memory").addEventListener("click", () => show("talk"));

start();
