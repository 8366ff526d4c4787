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

// ---- gallery: the recent images (#/), or the images carrying a label (#/?label=Dog) ------------------
const PAGE = { gallery: 48, search: 24 };
/** How long after a labeling the search is read once more: the label index is read eventually consistent. */
const SETTLE_MS = 2000;
/** A page reads its search again at most once in this time, however many updates come. */
const READ_EVERY_MS = 1000;

async function showGallery(label) {
  close('image');
  $('image-view').hidden = true; $('gallery-view').hidden = false;
  if (state.galleryLabel !== label) {
    // another view of the gallery: start it afresh
    if (state.search) clearTimeout(state.search.settle);
    state.images.clear();
    $('gallery').innerHTML = '';
    state.search = label === null ? null
      : { label, pages: 1, cursor: null, hits: [], failed: false, seen: new Map(), queue: Promise.resolve(), queued: false,
        lastRead: 0, settle: null };
    state.galleryLabel = label;
  }
  $('filter').value = label || '';
  $('filter-clear').hidden = label === null;
  $('gallery-title').textContent = label === null ? 'Recent images' : 'Images labeled “' + label + '”';
  $('back').href = galleryHash(label);
  $('back').textContent = label === null ? '← All images' : '← Images labeled “' + label + '”';
  $('more').hidden = !state.search?.cursor;
  loadSuggestions();
  stream('gallery', API + '/events', (update) => (state.search ? searchUpdate(state.search, update) : galleryUpdate(update)),
    async (resumed) => { if (!resumed) await (state.search ? readSearch(state.search) : loadGallery()); });
}
async function loadGallery() {
  let answer;
  try { answer = await call('GET', API + '/gallery?limit=' + PAGE.gallery); } catch (e) { return galleryError(e); }
  if (state.search) return;
  if (answer.status !== 200) return galleryError(answer);
  $('gallery-error').hidden = true;
  for (const image of answer.json.images.slice().reverse()) galleryUpdate(image);
  $('gallery-empty').textContent = 'No images yet.';
  $('gallery-empty').hidden = state.images.size > 0;
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
  $('gallery-empty').textContent = 'No images yet.';
  $('gallery-empty').hidden = state.images.size > 0;
}
/** What went wrong, plainly: the API's JSON error message, or what the browser knows. */
function galleryError(failure) {
  if (!state.me) return;
  $('gallery-error').textContent = failure instanceof Error ? 'The app did not answer: ' + failure.message + '.'
    : failure.json?.message ? failure.json.message : 'The request failed (' + failure.status + ').';
  $('gallery-error').hidden = false;
  $('gallery-empty').hidden = true;
  $('more').hidden = true;
}

// ---- find by label: the search's hits, newest first, a page at a time; the API is the truth -------------------
// A search's reads run one after the other (its queue), its re-reads at most one a second; a re-read
// asked for while one waits is that one.
function enqueue(search, task) {
  search.queue = search.queue.then(() => (state.search === search ? task() : null)).catch(galleryError);
  return search.queue;
}
/** Reads the search again from its start, as many pages as are shown. */
function readSearch(search) {
  if (search.queued) return search.queue;
  search.queued = true;
  return enqueue(search, async () => {
    const wait = search.lastRead + READ_EVERY_MS - Date.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    search.queued = false;
    if (state.search !== search) return;
    search.lastRead = Date.now();
    const hits = [];
    let cursor = null;
    for (let page = 0; page < search.pages; page++) {
      const answer = await searchPage(search, cursor);
      if (!answer) return;
      hits.push(...answer.images);
      cursor = answer.nextCursor || null;
      if (!cursor) break;
    }
    renderHits(search, hits, cursor);
  });
}
/** The next page ("More images"), through the cursor of the last. */
function readMore(search) {
  return enqueue(search, async () => {
    if (!search.cursor) return;
    const answer = await searchPage(search, search.cursor);
    if (!answer) return;
    search.pages++;
    renderHits(search, search.hits.concat(answer.images), answer.nextCursor || null);
  });
}
/** One page of the search, or null when it failed (its error is shown) or the view changed meanwhile. */
async function searchPage(search, cursor) {
  const answer = await call('GET', API + '/images?label=' + encodeURIComponent(search.label) + '&limit=' + PAGE.search
    + (cursor ? '&cursor=' + encodeURIComponent(cursor) : ''));
  if (state.search !== search) return null;
  if (answer.status !== 200) { search.failed = true; galleryError(answer); return null; }
  return answer.json;
}
/**
 * An update while filtered. Deleted or rejected: the image carries no label any more, the view drops it
 * at once. Labeled: whether it carries the label now, and its verdict, are the API's to say (labels
 * match normalized, the verdict follows the policy): the search is read again, and once more a moment
 * later. In work: nothing is stored yet, the index is as it was.
 */
function searchUpdate(search, update) {
  if (update.status === 'IN_WORK' || !newer(update, search.seen.get(update.imageId))) return;
  search.seen.set(update.imageId, update);
  if (update.status === 'LABELED') {
    readSearch(search);
    clearTimeout(search.settle);
    search.settle = setTimeout(() => { search.settle = null; if (state.search === search) readSearch(search); }, SETTLE_MS);
  } else if (!search.failed) {
    renderHits(search, search.hits, search.cursor);
  }
}
function renderHits(search, hits, cursor) {
  const unique = new Map();
  for (const hit of hits) if (!unique.has(hit.imageId)) unique.set(hit.imageId, hit);
  search.hits = [...unique.values()];
  search.cursor = cursor;
  search.failed = false;
  const list = $('gallery');
  const cards = new Map([...list.children].map((card) => [card.dataset.imageId, card]));
  let shown = 0;
  for (const hit of search.hits) {
    // an image deleted or rejected since (by its newest update) is not shown, whatever a read says
    if (['DELETED', 'REJECTED'].includes(search.seen.get(hit.imageId)?.status)) continue;
    const card = cards.get(hit.imageId) || document.createElement('li');
    cards.delete(hit.imageId);
    renderHit(card, hit);
    list.appendChild(card);
    shown++;
  }
  cards.forEach((card) => card.remove());
  $('gallery-error').hidden = true;
  $('gallery-empty').textContent = 'No images labeled “' + search.label + '”.';
  $('gallery-empty').hidden = shown > 0;
  $('more').hidden = !cursor;
}
function renderHit(card, hit) {
  card.className = 'card' + (hit.unsafe ? ' unsafe' : '');
  card.dataset.imageId = hit.imageId;
  card.dataset.verdict = hit.verdict;
  const html = `<a href="#/image/${path(hit.imageId)}"><img alt="" loading="lazy" src="${API}/images/${path(hit.imageId)}/picture">
    <div class="meta"><div class="id">${escapeHtml(hit.imageId)}</div>
    <div class="labels-line">${escapeHtml(hit.label)} · ${percent(hit.confidence)}&nbsp;%</div>
    <div class="verdict verdict-${escapeHtml(hit.verdict)}">${escapeHtml(VERDICTS[hit.verdict] || hit.verdict)}</div></div></a>`;
  // the same hit again keeps its card (and its picture, not asked for again)
  if (card.shownHtml !== html) { card.innerHTML = html; card.shownHtml = html; }
}

// ---- the filter: a labelled search field with the labels as suggestions; the label is in the URL ----------
function galleryHash(label) { return label ? '#/?label=' + encodeURIComponent(label) : '#/'; }
let suggesting = false;
async function loadSuggestions() {
  if (suggesting) return;
  suggesting = true;
  try {
    const { status, json } = await call('GET', API + '/labels?limit=50');
    if (status !== 200) return;
    const list = $('label-suggestions');
    list.innerHTML = '';
    for (const label of json.labels) {
      const option = document.createElement('option');
      option.value = label.name;
      option.label = label.images + (label.images === 1 ? ' image' : ' images');
      list.appendChild(option);
    }
  } catch { /* suggestions help; the field works without them */ } finally { suggesting = false; }
}
$('filter-form').addEventListener('submit', (e) => {
  e.preventDefault();
  const hash = galleryHash($('filter').value.trim());
  if (location.hash === hash) route(); else location.hash = hash;
});
$('filter').addEventListener('focus', loadSuggestions);
// the field's own clear (its ×) shows all images again
$('filter').addEventListener('search', (e) => { if (!e.target.value.trim() && state.search) location.hash = '#/'; });
$('filter-clear').addEventListener('click', () => { location.hash = '#/'; $('filter').focus(); });
$('more').addEventListener('click', () => { if (state.search) readMore(state.search); });

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
    const pct = percent(label.confidence);
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
/** The brand-safety verdicts in words, in the gallery's marks and on an image's page. */
const VERDICTS = { SAFE: 'Safe for ads', RESTRICTED: 'Restricted', UNSAFE: 'Not safe for ads', UNKNOWN: 'Not checked' };
function renderBrandSafety(safety) {
  const text = !safety ? 'Not checked yet' : VERDICTS[safety.verdict] || safety.verdict;
  const why = safety?.verdict === 'UNKNOWN' ? ' (labeled before brand safety)'
    : (safety?.verdict === 'RESTRICTED' || safety?.verdict === 'UNSAFE') && safety.categories?.length
      ? ': ' + safety.categories.join(', ') : '';
  $('moderation-verdict').textContent = text + why + '.';
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
  if (!state.search) galleryUpdate({ imageId: json.imageId, status: 'IN_WORK', labels: [], orderToken: '' });
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
function percent(confidence) { return Math.round(confidence * 10) / 10; }
function statusText(status) { return { IN_WORK: 'in work', LABELED: 'LABELED', REJECTED: 'REJECTED' }[status] || status; }
function escapeHtml(s) { return String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c])); }

// ---- where the page is: #/ the recent images, #/?label=Dog the images carrying a label, #/image/<id> one image ----
async function route() {
  if (!state.me && !(await whoAmI())) return;
  // back from the issuer's sign-in (at "/"): where the page was when its user chose to sign in
  const before = sessionStorage.getItem(SIGN_IN_FROM);
  sessionStorage.removeItem(SIGN_IN_FROM);
  if (before && !location.hash) history.replaceState(null, '', before);
  const hash = location.hash;
  const image = hash.match(/^#\/image\/(.+)$/);
  if (image) return showImage(decodeURIComponent(image[1]));
  const query = hash.indexOf('?') < 0 ? '' : hash.slice(hash.indexOf('?') + 1);
  showGallery(new URLSearchParams(query).get('label')?.trim() || null);
}
const SIGN_IN_FROM = 'digiads.sign-in-from';
$('sign-in').addEventListener('click', () => sessionStorage.setItem(SIGN_IN_FROM, location.hash));
window.addEventListener('hashchange', route);
route();
