// Push-to-talk: hold the button, speak, let go. The clip goes to the server as one WAV
// file (16 kHz mono 16-bit) in a binary websocket frame; OS1's reply comes back as WAV
// clips, one a sentence, played in order while the rest is still being written.
// Plain JavaScript, no build step; nothing leaves this page but the websocket frame.

const RATE = 16000;
const MAX_SECONDS = 30; // the server takes one frame of 1 MiB at most
const $ = (id) => document.getElementById(id);

const voice = {
  app: null, context: null, stream: null, source: null, node: null,
  chunks: [], holding: false, limit: null,
  queue: Promise.resolve(), playing: null, generation: 0, spoken: 0,
};

function status(text) { $("talk-status").textContent = text; }

function audioContext() {
  if (!voice.context) voice.context = new AudioContext();
  return voice.context;
}

async function begin(event) {
  event.preventDefault();
  if (voice.holding || voice.node) return;
  const app = voice.app;
  if (!app.ws || app.ws.readyState !== WebSocket.OPEN) { status("Not connected yet; one moment."); return; }
  voice.holding = true;
  silence();
  if (app.busy()) app.stopReply(); // speaking over OS1 interrupts it, as in conversation
  const context = audioContext();
  await context.resume();
  try {
    voice.stream = await navigator.mediaDevices.getUserMedia(
      { audio: { channelCount: 1, echoCancellation: true, noiseSuppression: true } });
  } catch (error) {
    voice.holding = false;
    status("I can't hear you: allow this page to use the microphone, then try again.");
    return;
  }
  voice.chunks = [];
  voice.source = context.createMediaStreamSource(voice.stream);
  voice.node = context.createScriptProcessor(4096, 1, 1);
  voice.node.onaudioprocess = (e) => voice.chunks.push(new Float32Array(e.inputBuffer.getChannelData(0)));
  voice.source.connect(voice.node);
  voice.node.connect(context.destination);
  $("talk-button").classList.add("recording");
  status("Listening…");
  voice.limit = setTimeout(end, MAX_SECONDS * 1000);
  if (!voice.holding) end(); // let go before the microphone opened
}

function end() {
  voice.holding = false;
  if (!voice.node) return;
  clearTimeout(voice.limit);
  voice.node.disconnect();
  voice.source.disconnect();
  for (const track of voice.stream.getTracks()) track.stop();
  voice.node = voice.source = voice.stream = null;
  $("talk-button").classList.remove("recording");
  const samples = downsample(voice.chunks, voice.context.sampleRate);
  voice.chunks = [];
  if (samples.length < RATE / 4) { status("Hold the button while you speak."); return; }
  status("");
  voice.app.sent();
  voice.app.ws.send(wav(samples));
}

function downsample(chunks, rate) {
  const length = chunks.reduce((n, c) => n + c.length, 0);
  const all = new Float32Array(length);
  let at = 0;
  for (const chunk of chunks) { all.set(chunk, at); at += chunk.length; }
  const step = rate / RATE;
  const out = new Float32Array(Math.floor(length / step));
  for (let i = 0; i < out.length; i++) { // the mean of each step: a plain low-pass
    const from = Math.floor(i * step), to = Math.max(from + 1, Math.floor((i + 1) * step));
    let sum = 0;
    for (let j = from; j < to; j++) sum += all[j];
    out[i] = sum / (to - from);
  }
  return out;
}

function wav(samples) {
  const buffer = new ArrayBuffer(44 + samples.length * 2);
  const view = new DataView(buffer);
  const text = (offset, s) => { for (let i = 0; i < s.length; i++) view.setUint8(offset + i, s.charCodeAt(i)); };
  text(0, "RIFF"); view.setUint32(4, 36 + samples.length * 2, true); text(8, "WAVE");
  text(12, "fmt "); view.setUint32(16, 16, true); view.setUint16(20, 1, true); view.setUint16(22, 1, true);
  view.setUint32(24, RATE, true); view.setUint32(28, RATE * 2, true);
  view.setUint16(32, 2, true); view.setUint16(34, 16, true);
  text(36, "data"); view.setUint32(40, samples.length * 2, true);
  for (let i = 0; i < samples.length; i++) {
    const s = Math.max(-1, Math.min(1, samples[i]));
    view.setInt16(44 + i * 2, s < 0 ? s * 0x8000 : s * 0x7fff, true);
  }
  return buffer;
}

// -- OS1's voice: each clip after the one before -----------------------------------------

function play(data) {
  const generation = voice.generation;
  voice.queue = voice.queue.then(async () => {
    if (generation !== voice.generation) return;
    const context = audioContext();
    const buffer = await context.decodeAudioData(data);
    if (generation !== voice.generation) return;
    await new Promise((resolve) => {
      const source = context.createBufferSource();
      source.buffer = buffer;
      source.connect(context.destination);
      source.onended = resolve;
      voice.playing = source;
      source.start();
    });
    voice.playing = null;
    if (generation === voice.generation) document.body.dataset.spoken = String(++voice.spoken);
  }).catch(() => status("I couldn't play my answer aloud."));
}

function silence() {
  voice.generation += 1;
  if (voice.playing) { voice.playing.onended = null; voice.playing.stop(); voice.playing = null; }
  voice.queue = Promise.resolve();
}

window.os1Voice = {
  enable(app) {
    if (voice.app) { voice.app = app; return; }
    voice.app = app;
    const button = $("talk-button");
    button.addEventListener("pointerdown", begin);
    for (const kind of ["pointerup", "pointerleave", "pointercancel"]) button.addEventListener(kind, end);
    button.addEventListener("keydown", (e) => { if ((e.key === " " || e.key === "Enter") && !e.repeat) begin(e); });
    button.addEventListener("keyup", (e) => { if (e.key === " " || e.key === "Enter") end(); });
  },
  audio(data) { play(data); },
  stop() { silence(); },
  frame(frame) { if (frame.type === "spoken") status(""); },
};
