// digiads' page: sign-in state, upload, gallery and image view, kept live by server-sent events.
// Plain JavaScript, no dependencies: everything it needs comes from this app.
'use strict';

const API = '/app/api';
const state = { me: null, images: new Map(), current: null, streams: {} };
const $ = (id) => document.getElementById(id);
const path = (id) => encodeURIComponent(id);

// ---- calls to the app (the session cookie goes with them; writes carry the CSRF token) ----------
async function call(method, url, body) {
  const headers = {};
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && state.me) headers[state.me.csrfHeader] = state.me.csrfToken;
  const response = await fetch(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body),
    credentials: 'same-origin' });
  if (response.status === 401) { signedOut(); throw new Error('signed out'); }
  const json = response.headers.get('Content-Type')?.includes('json') ? await response.json() : null;
  return { status: response.status, json };
}

// ---- order of states: an update older than what is shown changes nothing -----------------------
function newer(update, shown) {
  if (!shown) return true;
  const a = update.orderToken || '', b = shown.orderToken || '';
  if (a !== b) return a > b;
  // the same content: a stored state ends its IN_WORK, never the other way round
  return !(update.status === 'IN_WORK' && shown.status !== 'IN_WORK');
}

// ---- event streams: resume with Last-Event-ID, read the state again when told to ----------------
function stream(name, url, onUpdate, onReady) {
  let lastEventId = null, source = null, retry = null;
  const open = () => {
    const full = lastEventId ? url + '?lastEventId=' + encodeURIComponent(lastEventId) : url;
    source = new EventSource(full, { withCredentials: true });
    source.addEventListener('ready', (e) => { lastEventId = e.lastEventId; live(true); onReady(JSON.parse(e.data).resumed); });
    source.addEventListener('image', (e) => { lastEventId = e.lastEventId; onUpdate(JSON.parse(e.data)); });
    source.onerror = () => {
      live(false);
      if (source.readyState === EventSource.CLOSED) {
        // refused (503, 401) or ended for good: ask who we are, then open a new stream after a pause
        clearTimeout(retry);
        retry = setTimeout(async () => { if (await whoAmI()) open(); }, 3000);
      }
    };
  };
  close(name);
  open();
  state.streams[name] = { close: () => { clearTimeout(retry); if (source) source.close(); } };
}
function close(name) { if (state.streams[name]) { state.streams[name].close(); delete state.streams[name]; } }
function live(on) { $('live').classList.toggle('on', on); $('live').textContent = on ? 'live' : 'reconnecting'; }

// ---- who is signed in -----------------------------------------------------------------------------
async function whoAmI() {
  const response = await fetch(API + '/me', { credentials: 'same-origin' });
  if (response.status !== 200) { signedOut(); return false; }
  state.me = await response.json();
  $('user-name').textContent = state.me.name;
  $('sign-out-csrf').value = state.me.csrfToken;
  $('who').hidden = false;
  $('signed-out').hidden = true;
  return true;
}
function signedOut() {
  state.me = null;
  Object.keys(state.streams).forEach(close);
  $('who').hidden = true; $('gallery-view').hidden = true; $('image-view').hidden = true;
  $('signed-out').hidden = false;
  $('signin-failed').hidden = !location.search.includes('signin=failed');
}

// ---- gallery ---------------------------------------------------------------------------------------
async function showGallery() {
  close('image');
  $('image-view').hidden = true; $('gallery-view').hidden = false;
  stream('gallery', API + '/events', galleryUpdate, async (resumed) => { if (!resumed) await loadGallery(); });
}
async function loadGallery() {
  const { status, json } = await call('GET', API + '/gallery?limit=48');
  if (status !== 200) return;
  for (const image of json.images.slice().reverse()) galleryUpdate(image);
}
function galleryUpdate(update) {
  const shown = state.images.get(update.imageId);
  if (!newer(update, shown)) return;
  if (update.status === 'DELETED') {
    state.images.delete(update.imageId);
    document.querySelector(`#gallery li[data-image-id="${CSS.escape(update.imageId)}"]`)?.remove();
  } else {
    state.images.set(update.imageId, update);
    renderCard(update);
  }
  $('gallery-empty').hidden = state.images.size > 0;
}
function renderCard(image) {
  let card = document.querySelector(`#gallery li[data-image-id="${CSS.escape(image.imageId)}"]`);
  const fresh = !card;
  if (fresh) {
    card = document.createElement('li');
    card.className = 'card';
    card.dataset.imageId = image.imageId;
  }
  card.dataset.status = image.status;
  const labels = (image.labels || []).slice(0, 3).map((l) => l.name).join(', ');
  const picture = image.status === 'IN_WORK'
    ? '<div class="placeholder">in work…</div>'
    : `<img alt="" loading="lazy" src="${image.pictureUrl ? escapeHtml(image.pictureUrl) : API + '/images/' + path(image.imageId) + '/picture'}">`;
  card.innerHTML = `<a href="#/image/${path(image.imageId)}">${picture}
    <div class="meta"><div class="id">${escapeHtml(image.imageId)}</div>
    <div class="status status-${image.status}">${statusText(image.status)}</div>
    <div class="labels-line">${escapeHtml(labels)}</div></div></a>`;
  if (fresh) $('gallery').prepend(card);
}

// ---- one image ---------------------------------------------------------------------------------------
async function showImage(imageId) {
  close('gallery');
  $('gallery-view').hidden = true; $('image-view').hidden = false;
  state.current = { imageId, shown: null };
  $('image-id').textContent = imageId;
  $('picture').removeAttribute('src');
  $('picture').alt = 'the image ' + imageId;
  renderState({ imageId, status: 'IN_WORK', labels: [] });
  renderDeals(null);
  stream('image', API + '/images/' + path(imageId) + '/events', (update) => imageUpdate(imageId, update),
    async (resumed) => { if (!resumed) await loadImage(imageId); });
}
async function loadImage(imageId) {
  const { status, json } = await call('GET', API + '/images/' + path(imageId) + '/metadata');
  if (status === 200) imageUpdate(imageId, json);
  else if (status === 404) renderState({ imageId, status: 'IN_WORK', labels: [] });
}
function imageUpdate(imageId, update) {
  const current = state.current;
  if (!current || current.imageId !== imageId || !newer(update, current.shown)) return;
  current.shown = update;
  if (update.status === 'DELETED') { location.hash = '#/'; return; }
  renderState(update);
  if (update.status === 'LABELED') {
    $('picture').src = API + '/images/' + path(imageId) + '/picture';
    loadDeals(imageId);
  } else if (update.status === 'REJECTED') {
    $('picture').src = API + '/images/' + path(imageId) + '/picture';
    renderDeals({ deals: [], dealsStatus: null });
  }
}
function renderState(m) {
  const status = $('image-status');
  status.textContent = statusText(m.status);
  status.className = 'status status-' + m.status;
  $('reason').hidden = !m.reason || m.status !== 'REJECTED';
  $('reason-text').textContent = m.reason || '';
  const labels = $('labels');
  labels.innerHTML = '';
  for (const label of m.labels || []) {
    const pct = Math.round(label.confidence * 10) / 10;
    const li = document.createElement('li');
    li.innerHTML = `<span class="name">${escapeHtml(label.name)}</span>
      <span class="bar-track" role="meter" aria-valuemin="0" aria-valuemax="100" aria-valuenow="${pct}"
        aria-label="${escapeHtml(label.name)} confidence"><span class="bar-fill" style="width:${pct}%"></span></span>
      <span class="pct">${pct} %</span>`;
    labels.appendChild(li);
  }
  $('labels-none').hidden = (m.labels || []).length > 0 || m.status === 'IN_WORK';
  // brand safety: the verdict the metadata (or the ads) carry, once the image is labeled
  renderBrandSafety(m.brandSafety);
}
async function loadDeals(imageId) {
  const { status, json } = await call('GET', API + '/images/' + path(imageId) + '/digiads');
  if (status === 200 && state.current?.imageId === imageId) renderDeals(json);
}
function renderBrandSafety(safety) {
  const text = !safety ? 'Not checked yet.'
    : { SAFE: 'Safe for ads.', RESTRICTED: 'Restricted', UNSAFE: 'Not safe for ads', UNKNOWN: 'Not checked (labeled before brand safety).' }[safety.verdict] || safety.verdict;
  const why = safety && safety.categories && safety.categories.length ? ': ' + safety.categories.join(', ') + '.' : '';
  $('moderation-verdict').textContent = safety && (safety.verdict === 'RESTRICTED' || safety.verdict === 'UNSAFE') ? text + why : text;
}
function renderDeals(ads) {
  const list = $('deals');
  list.innerHTML = '';
  if (!ads) { $('deals-status').textContent = ''; $('degraded').hidden = true; $('deals-note').textContent = 'Ads follow the labels.'; return; }
  $('deals-status').textContent = ads.dealsStatus ? '(' + ads.dealsStatus + ')' : '';
  $('degraded').hidden = !ads.degraded;
  if (ads.brandSafety) renderBrandSafety(ads.brandSafety);
  $('deals-note').textContent = ads.dealsStatus === 'LIVE' || !ads.dealsStatus ? ''
    : ({ CACHED: 'The deals service failed: these are earlier deals.', PARTIAL: 'Some labels got no deals: the deals service did not answer for them.',
         UNAVAILABLE: 'The deals service did not answer: no deals now.',
         BLOCKED: 'No ads: the image is not brand-safe.', UNVERIFIED: 'No ads until the image is checked for brand safety.' }[ads.dealsStatus] || '');
  if (!ads.deals.length && !$('deals-note').textContent) $('deals-note').textContent = 'No deals.';
  for (const deal of ads.deals) {
    const li = document.createElement('li');
    li.className = 'deal';
    li.innerHTML = `<div class="title">${escapeHtml(deal.title)}</div>
      <div class="price">${escapeHtml(price(deal))}</div>
      <div class="merchant">${escapeHtml(deal.merchant || '')}</div>
      <a href="${escapeHtml(deal.url)}" rel="noopener noreferrer nofollow" target="_blank">See the deal<span class="visually-hidden"> ${escapeHtml(deal.title)}</span></a>`;
    list.appendChild(li);
  }
}
function price(deal) {
  try { return new Intl.NumberFormat(undefined, { style: 'currency', currency: deal.currency || 'USD' }).format(deal.price); }
  catch { return deal.price + ' ' + (deal.currency || ''); }
}

$('delete').addEventListener('click', async () => {
  const imageId = state.current?.imageId;
  if (!imageId || !confirm('Delete ' + imageId + '?')) return;
  const { status } = await call('DELETE', API + '/images/' + path(imageId));
  if (status === 202) location.hash = '#/';
});

// ---- upload: presigned PUT straight to S3, with progress ------------------------------------------------
async function upload(file) {
  $('upload-error').hidden = true;
  if (!file.type.startsWith('image/')) return uploadError('That is not an image.');
  const { status, json } = await call('POST', API + '/images/uploads', { contentType: file.type, contentLength: file.size });
  if (status !== 201) return uploadError(json?.message || 'The upload was refused (' + status + ').');
  $('upload').hidden = false;
  $('upload-label').textContent = 'Uploading ' + file.name;
  $('upload-progress').value = 0;
  galleryUpdate({ imageId: json.imageId, status: 'IN_WORK', labels: [], orderToken: '' });
  // watch it being labeled: its page opens while the bytes go up
  location.hash = '#/image/' + path(json.imageId);
  const xhr = new XMLHttpRequest();
  xhr.open(json.method, json.url);
  for (const [name, value] of Object.entries(json.headers)) if (name.toLowerCase() !== 'content-length') xhr.setRequestHeader(name, value);
  xhr.upload.onprogress = (e) => { if (e.lengthComputable) $('upload-progress').value = Math.round(100 * e.loaded / e.total); };
  xhr.onload = () => {
    $('upload').hidden = true;
    if (xhr.status < 200 || xhr.status > 299) uploadError('The upload failed (' + xhr.status + ').');
  };
  xhr.onerror = () => { $('upload').hidden = true; uploadError('The upload failed: the storage did not answer.'); };
  xhr.send(file);
}
function uploadError(message) { $('upload-error').textContent = message; $('upload-error').hidden = false; }
$('file').addEventListener('change', (e) => { if (e.target.files[0]) upload(e.target.files[0]); e.target.value = ''; });
const drop = $('drop');
['dragenter', 'dragover'].forEach((t) => drop.addEventListener(t, (e) => { e.preventDefault(); drop.classList.add('over'); }));
['dragleave', 'drop'].forEach((t) => drop.addEventListener(t, (e) => { e.preventDefault(); drop.classList.remove('over'); }));
drop.addEventListener('drop', (e) => { const f = e.dataTransfer?.files?.[0]; if (f) upload(f); });

// ---- small things ---------------------------------------------------------------------------------------
function statusText(status) { return { IN_WORK: 'in work', LABELED: 'LABELED', REJECTED: 'REJECTED' }[status] || status; }
function escapeHtml(s) { return String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c])); }

async function route() {
  if (!state.me && !(await whoAmI())) return;
  const match = location.hash.match(/^#\/image\/(.+)$/);
  if (match) showImage(decodeURIComponent(match[1])); else showGallery();
}
window.addEventListener('hashchange', route);
route();
