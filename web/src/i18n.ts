// UI strings, Bahasa Indonesia first and English second. Every visible string goes through t().
// The chosen language is kept in localStorage and shared by every component through a tiny store.
import { useCallback, useSyncExternalStore } from 'react'

export type Lang = 'id' | 'en'

const id = {
  'app.name': 'Tanggap',
  'app.tagline': 'Layanan pertanyaan dan aduan warga',
  'lang.switch': 'English',
  'lang.switchLabel': 'Ganti bahasa ke English',
  'common.loading': 'Memuat…',
  'common.retry': 'Coba lagi',
  'common.back': 'Kembali',
  'common.cancel': 'Batal',
  'common.all': 'Semua',
  'common.wib': 'WIB',

  'error.network': 'Tidak dapat terhubung ke server. Periksa koneksi internet lalu coba lagi.',
  'error.rateLimited': 'Terlalu banyak percobaan. Tunggu sebentar lalu coba lagi.',
  'error.generic': 'Terjadi kesalahan. Silakan coba lagi.',
  'error.forbidden': 'Anda tidak punya akses untuk tindakan ini.',
  'error.csrf': 'Sesi Anda perlu diperbarui. Muat ulang halaman lalu coba lagi.',
  'error.requestId': 'Kode permintaan: {id}',

  'notFound.title': 'Halaman tidak ditemukan',
  'notFound.body': 'Alamat yang Anda buka tidak ada.',
  'notFound.home': 'Ke halaman utama',

  'login.title': 'Masuk',
  'login.intro': 'Masuk untuk membalas pesan warga.',
  'login.username': 'Nama pengguna',
  'login.password': 'Kata sandi',
  'login.submit': 'Masuk',
  'login.submitting': 'Sedang masuk…',
  'login.invalid': 'Nama pengguna atau kata sandi salah.',
  'login.rateLimited': 'Terlalu banyak percobaan masuk. Tunggu beberapa menit lalu coba lagi.',
  'login.publicLinks': 'Warga? Ajukan pertanyaan atau lacak pertanyaan Anda:',

  'role.superadmin': 'Superadmin',
  'role.supervisor': 'Supervisor',
  'role.opd_admin': 'Admin OPD',

  'header.signOut': 'Keluar',
  'header.opdsMore': '+{n} lainnya',
  'header.live.open': 'Langsung',
  'header.live.connecting': 'Menyambung…',
  'header.live.closed': 'Terputus, menyambung ulang…',

  'inbox.title': 'Kotak masuk',
  'inbox.filter.status': 'Status',
  'inbox.filter.platform': 'Platform',
  'inbox.empty': 'Belum ada pesan',
  'inbox.emptyFiltered': 'Tidak ada pesan yang cocok dengan filter ini.',
  'inbox.loadMore': 'Muat lagi',
  'inbox.loadingMore': 'Memuat…',
  'inbox.waiting': 'menunggu {d}',
  'inbox.selectPrompt': 'Pilih pesan di sebelah kiri untuk membaca dan membalasnya.',
  'inbox.newItem': 'Pesan baru dari {name}',

  'status.open': 'Terbuka',
  'status.answered': 'Dijawab',
  'status.closed': 'Selesai',

  'platform.website': 'Situs web',
  'platform.whatsapp': 'WhatsApp',
  'platform.instagram': 'Instagram',
  'platform.facebook': 'Facebook',
  'platform.tiktok': 'TikTok',
  'platform.telegram': 'Telegram',
  'platform.x': 'X',
  'platform.youtube': 'YouTube',

  'kind.comment': 'Komentar',
  'kind.dm': 'Pesan langsung',
  'kind.mention': 'Sebutan',
  'kind.form': 'Formulir',

  'detail.backToList': 'Kembali ke daftar',
  'detail.notFound': 'Pesan ini tidak ditemukan atau tidak lagi dapat Anda lihat.',
  'detail.channel': 'Kanal',
  'detail.opd': 'OPD',
  'detail.contact': 'Kontak warga',
  'detail.trackingCode': 'Kode pelacakan',
  'detail.firstResponse': 'Tanggapan pertama',
  'detail.noResponseYet': 'belum ada',
  'detail.thread': 'Percakapan',
  'detail.citizen': 'Warga',
  'detail.close': 'Tandai selesai',
  'detail.reopen': 'Buka kembali',
  'detail.statusChanging': 'Menyimpan…',

  'reply.label': 'Balasan',
  'reply.placeholder': 'Tulis balasan untuk warga…',
  'reply.submit': 'Kirim balasan',
  'reply.sending': 'Mengirim…',
  'reply.hint': 'Ctrl+Enter untuk mengirim',
  'reply.state.pending': 'Menunggu',
  'reply.state.sent': 'Terkirim',
  'reply.state.failed': 'Gagal',

  'dispo.open': 'Disposisi',
  'dispo.title': 'Disposisi ke OPD lain',
  'dispo.to': 'OPD tujuan',
  'dispo.choose': 'Pilih OPD…',
  'dispo.reason': 'Alasan',
  'dispo.reasonHint': 'Minimal 3 karakter, misalnya "bukan wewenang kami".',
  'dispo.submit': 'Kirim disposisi',
  'dispo.sending': 'Mengirim…',
  'dispo.done': 'Pesan telah didisposisikan ke {opd}.',

  'ask.title': 'Ajukan pertanyaan',
  'ask.intro': 'Tulis pertanyaan atau aduan Anda. Anda akan mendapat kode pelacakan untuk memantau jawabannya.',
  'ask.name': 'Nama',
  'ask.contact': 'Kontak (opsional, tidak dipublikasikan)',
  'ask.contactHint': 'Nomor WhatsApp atau e-mail, bila petugas perlu menghubungi Anda.',
  'ask.topic': 'Topik',
  'ask.topicNone': 'Tidak tahu / lainnya',
  'ask.text': 'Pertanyaan',
  'ask.textHint': 'Minimal 5 karakter. Jangan menulis NIK atau data pribadi lain.',
  'ask.counter': '{n}/{max}',
  'ask.honeypot': 'Jangan isi kolom ini (situs web)',
  'ask.submit': 'Kirim pertanyaan',
  'ask.sending': 'Mengirim…',
  'ask.fieldInvalid': 'Isian ini belum benar.',
  'ask.nameRequired': 'Nama wajib diisi.',
  'ask.textTooShort': 'Pertanyaan minimal 5 karakter.',
  'ask.textTooLong': 'Pertanyaan maksimal {max} karakter.',
  'ask.fixFields': 'Periksa kembali isian yang ditandai.',
  'ask.rateLimited': 'Terlalu banyak pertanyaan dikirim dari perangkat ini. Tunggu beberapa menit lalu coba lagi; isian Anda tetap tersimpan.',
  'ask.sentTitle': 'Pertanyaan Anda sudah kami terima',
  'ask.codeLabel': 'Kode pelacakan Anda',
  'ask.codeHint': 'Simpan kode ini. Gunakan untuk melihat jawaban petugas.',
  'ask.trackLink': 'Lihat status pertanyaan',
  'ask.another': 'Ajukan pertanyaan lain',
  'ask.trackExisting': 'Sudah pernah bertanya? Lacak pertanyaan Anda',

  'track.title': 'Lacak pertanyaan',
  'track.intro': 'Masukkan kode pelacakan yang Anda terima saat mengirim pertanyaan.',
  'track.code': 'Kode pelacakan',
  'track.submit': 'Lacak',
  'track.notFound': 'Kode pelacakan tidak ditemukan',
  'track.notFoundBody': 'Periksa kembali kode {code}. Kode terdiri dari 8 huruf dan angka, misalnya ABCD-2345.',
  'track.question': 'Pertanyaan Anda',
  'track.askedAt': 'Dikirim',
  'track.opd': 'Ditangani oleh',
  'track.opdPending': 'Sedang diteruskan ke OPD yang berwenang',
  'track.answers': 'Jawaban',
  'track.noAnswers': 'Belum ada jawaban. Halaman ini diperbarui otomatis.',
  'track.ask': 'Ajukan pertanyaan baru',
  'track.status.received': 'Diterima',
  'track.status.open': 'Diproses',
  'track.status.answered': 'Dijawab',
  'track.status.closed': 'Selesai',

  'time.justNow': 'baru saja',
  'time.underMinute': '< 1 mnt',
  'time.minutes': '{n} mnt',
  'time.hours': '{n} j',
  'time.hoursMinutes': '{h} j {m} mnt',
  'time.days': '{n} hr',
  'time.daysHours': '{d} hr {h} j',
}

export type MessageKey = keyof typeof id

const en: Record<MessageKey, string> = {
  'app.name': 'Tanggap',
  'app.tagline': 'Citizen questions and complaints',
  'lang.switch': 'Bahasa Indonesia',
  'lang.switchLabel': 'Switch language to Bahasa Indonesia',
  'common.loading': 'Loading…',
  'common.retry': 'Try again',
  'common.back': 'Back',
  'common.cancel': 'Cancel',
  'common.all': 'All',
  'common.wib': 'WIB',

  'error.network': 'Cannot reach the server. Check your connection and try again.',
  'error.rateLimited': 'Too many attempts. Wait a moment and try again.',
  'error.generic': 'Something went wrong. Please try again.',
  'error.forbidden': 'You are not allowed to do this.',
  'error.csrf': 'Your session needs refreshing. Reload the page and try again.',
  'error.requestId': 'Request id: {id}',

  'notFound.title': 'Page not found',
  'notFound.body': 'The address you opened does not exist.',
  'notFound.home': 'Go to the home page',

  'login.title': 'Sign in',
  'login.intro': 'Sign in to answer citizens.',
  'login.username': 'Username',
  'login.password': 'Password',
  'login.submit': 'Sign in',
  'login.submitting': 'Signing in…',
  'login.invalid': 'Wrong username or password.',
  'login.rateLimited': 'Too many sign-in attempts. Wait a few minutes and try again.',
  'login.publicLinks': 'A citizen? Ask a question or track your question:',

  'role.superadmin': 'Superadmin',
  'role.supervisor': 'Supervisor',
  'role.opd_admin': 'OPD admin',

  'header.signOut': 'Sign out',
  'header.opdsMore': '+{n} more',
  'header.live.open': 'Live',
  'header.live.connecting': 'Connecting…',
  'header.live.closed': 'Disconnected, reconnecting…',

  'inbox.title': 'Inbox',
  'inbox.filter.status': 'Status',
  'inbox.filter.platform': 'Platform',
  'inbox.empty': 'No messages yet',
  'inbox.emptyFiltered': 'No messages match these filters.',
  'inbox.loadMore': 'Load more',
  'inbox.loadingMore': 'Loading…',
  'inbox.waiting': 'waiting {d}',
  'inbox.selectPrompt': 'Pick a message on the left to read and answer it.',
  'inbox.newItem': 'New message from {name}',

  'status.open': 'Open',
  'status.answered': 'Answered',
  'status.closed': 'Closed',

  'platform.website': 'Website',
  'platform.whatsapp': 'WhatsApp',
  'platform.instagram': 'Instagram',
  'platform.facebook': 'Facebook',
  'platform.tiktok': 'TikTok',
  'platform.telegram': 'Telegram',
  'platform.x': 'X',
  'platform.youtube': 'YouTube',

  'kind.comment': 'Comment',
  'kind.dm': 'Direct message',
  'kind.mention': 'Mention',
  'kind.form': 'Form',

  'detail.backToList': 'Back to the list',
  'detail.notFound': 'This message does not exist or is no longer visible to you.',
  'detail.channel': 'Channel',
  'detail.opd': 'OPD',
  'detail.contact': 'Citizen contact',
  'detail.trackingCode': 'Tracking code',
  'detail.firstResponse': 'First response',
  'detail.noResponseYet': 'none yet',
  'detail.thread': 'Conversation',
  'detail.citizen': 'Citizen',
  'detail.close': 'Mark as closed',
  'detail.reopen': 'Reopen',
  'detail.statusChanging': 'Saving…',

  'reply.label': 'Reply',
  'reply.placeholder': 'Write a reply to the citizen…',
  'reply.submit': 'Send reply',
  'reply.sending': 'Sending…',
  'reply.hint': 'Ctrl+Enter to send',
  'reply.state.pending': 'Pending',
  'reply.state.sent': 'Sent',
  'reply.state.failed': 'Failed',

  'dispo.open': 'Transfer',
  'dispo.title': 'Transfer to another OPD',
  'dispo.to': 'Receiving OPD',
  'dispo.choose': 'Choose an OPD…',
  'dispo.reason': 'Reason',
  'dispo.reasonHint': 'At least 3 characters, e.g. "not our responsibility".',
  'dispo.submit': 'Transfer',
  'dispo.sending': 'Sending…',
  'dispo.done': 'The message was transferred to {opd}.',

  'ask.title': 'Ask a question',
  'ask.intro': 'Write your question or complaint. You will get a tracking code to follow the answer.',
  'ask.name': 'Name',
  'ask.contact': 'Contact (optional, never published)',
  'ask.contactHint': 'WhatsApp number or e-mail, in case an officer needs to reach you.',
  'ask.topic': 'Topic',
  'ask.topicNone': 'Not sure / other',
  'ask.text': 'Question',
  'ask.textHint': 'At least 5 characters. Do not write your NIK or other personal data.',
  'ask.counter': '{n}/{max}',
  'ask.honeypot': 'Do not fill in this field (website)',
  'ask.submit': 'Send question',
  'ask.sending': 'Sending…',
  'ask.fieldInvalid': 'This field is not valid.',
  'ask.nameRequired': 'Please enter your name.',
  'ask.textTooShort': 'The question needs at least 5 characters.',
  'ask.textTooLong': 'The question can have at most {max} characters.',
  'ask.fixFields': 'Please check the marked fields.',
  'ask.rateLimited': 'Too many questions were sent from this device. Wait a few minutes and try again; your text is kept.',
  'ask.sentTitle': 'We have received your question',
  'ask.codeLabel': 'Your tracking code',
  'ask.codeHint': 'Keep this code. Use it to see the answer.',
  'ask.trackLink': 'See the status of your question',
  'ask.another': 'Ask another question',
  'ask.trackExisting': 'Asked before? Track your question',

  'track.title': 'Track a question',
  'track.intro': 'Enter the tracking code you received when you sent your question.',
  'track.code': 'Tracking code',
  'track.submit': 'Track',
  'track.notFound': 'Tracking code not found',
  'track.notFoundBody': 'Please check the code {code}. Codes have 8 letters and digits, e.g. ABCD-2345.',
  'track.question': 'Your question',
  'track.askedAt': 'Sent',
  'track.opd': 'Handled by',
  'track.opdPending': 'Being forwarded to the responsible OPD',
  'track.answers': 'Answers',
  'track.noAnswers': 'No answer yet. This page refreshes by itself.',
  'track.ask': 'Ask a new question',
  'track.status.received': 'Received',
  'track.status.open': 'In progress',
  'track.status.answered': 'Answered',
  'track.status.closed': 'Closed',

  'time.justNow': 'just now',
  'time.underMinute': '< 1 min',
  'time.minutes': '{n} min',
  'time.hours': '{n} h',
  'time.hoursMinutes': '{h} h {m} min',
  'time.days': '{n} d',
  'time.daysHours': '{d} d {h} h',
}

const dictionaries: Record<Lang, Record<MessageKey, string>> = { id, en }
const STORAGE_KEY = 'tanggap.lang'

function readStoredLang(): Lang {
  try {
    return localStorage.getItem(STORAGE_KEY) === 'en' ? 'en' : 'id'
  } catch {
    return 'id'
  }
}

let current: Lang = readStoredLang()
const listeners = new Set<() => void>()

export function getLang(): Lang {
  return current
}

export function setLang(lang: Lang): void {
  if (lang === current) return
  current = lang
  try {
    localStorage.setItem(STORAGE_KEY, lang)
  } catch {
    // Private mode: the choice lasts for this page only.
  }
  document.documentElement.lang = lang
  for (const l of listeners) l()
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener)
  return () => listeners.delete(listener)
}

export type Vars = Record<string, string | number>
export type Translate = (key: MessageKey, vars?: Vars) => string

export function translate(lang: Lang, key: MessageKey, vars?: Vars): string {
  const template = dictionaries[lang][key]
  if (!vars) return template
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in vars ? String(vars[name]) : whole))
}

/** The current language and a translate function bound to it; re-renders when the language changes. */
export function useI18n(): { lang: Lang; t: Translate; setLang: (lang: Lang) => void } {
  const lang = useSyncExternalStore(subscribe, getLang)
  const t = useCallback<Translate>((key, vars) => translate(lang, key, vars), [lang])
  return { lang, t, setLang }
}

document.documentElement.lang = current
