// Indonesia's national holidays (libur nasional) and collective leave (cuti bersama) 2025–2027,
// from the SKB of the three ministers (reference: domain-id.md §3.3). Islamic dates can still move
// after the sidang isbat: calendars are editable, this is only the preloaded list.

export interface Holiday {
  date: string
  name: string
  kind: 'libur' | 'cuti'
}

const libur = (date: string, name: string): Holiday => ({ date, name, kind: 'libur' })
const cuti = (date: string, name: string): Holiday => ({ date, name: `Cuti bersama ${name}`, kind: 'cuti' })

export const INDONESIAN_HOLIDAYS: readonly Holiday[] = [
  // 2025 — SKB 1017/2024 as amended by SKB 933/2025 (adds 18 August)
  libur('2025-01-01', 'Tahun Baru Masehi'), libur('2025-01-27', 'Isra Mikraj'), libur('2025-01-29', 'Tahun Baru Imlek 2576'),
  libur('2025-03-29', 'Nyepi'), libur('2025-03-31', 'Idulfitri 1446 H'), libur('2025-04-01', 'Idulfitri 1446 H'),
  libur('2025-04-18', 'Wafat Yesus Kristus'), libur('2025-04-20', 'Paskah'), libur('2025-05-01', 'Hari Buruh'),
  libur('2025-05-12', 'Waisak 2569'), libur('2025-05-29', 'Kenaikan Yesus Kristus'), libur('2025-06-01', 'Hari Lahir Pancasila'),
  libur('2025-06-06', 'Iduladha 1446 H'), libur('2025-06-27', '1 Muharam 1447 H'), libur('2025-08-17', 'HUT RI'),
  libur('2025-09-05', 'Maulid Nabi'), libur('2025-12-25', 'Natal'),
  cuti('2025-01-28', 'Imlek'), cuti('2025-03-28', 'Nyepi'), cuti('2025-04-02', 'Idulfitri'), cuti('2025-04-03', 'Idulfitri'),
  cuti('2025-04-04', 'Idulfitri'), cuti('2025-04-07', 'Idulfitri'), cuti('2025-05-13', 'Waisak'), cuti('2025-05-30', 'Kenaikan'),
  cuti('2025-06-09', 'Iduladha'), cuti('2025-08-18', 'HUT RI ke-80'), cuti('2025-12-26', 'Natal'),
  // 2026 — SKB 1497/2025
  libur('2026-01-01', 'Tahun Baru Masehi'), libur('2026-01-16', 'Isra Mikraj'), libur('2026-02-17', 'Tahun Baru Imlek 2577'),
  libur('2026-03-19', 'Nyepi'), libur('2026-03-21', 'Idulfitri 1447 H'), libur('2026-03-22', 'Idulfitri 1447 H'),
  libur('2026-04-03', 'Wafat Yesus Kristus'), libur('2026-04-05', 'Paskah'), libur('2026-05-01', 'Hari Buruh'),
  libur('2026-05-14', 'Kenaikan Yesus Kristus'), libur('2026-05-27', 'Iduladha 1447 H'), libur('2026-05-31', 'Waisak 2570'),
  libur('2026-06-01', 'Hari Lahir Pancasila'), libur('2026-06-16', '1 Muharam 1448 H'), libur('2026-08-17', 'HUT RI'),
  libur('2026-08-25', 'Maulid Nabi'), libur('2026-12-25', 'Natal'),
  cuti('2026-02-16', 'Imlek'), cuti('2026-03-18', 'Nyepi'), cuti('2026-03-20', 'Idulfitri'), cuti('2026-03-23', 'Idulfitri'),
  cuti('2026-03-24', 'Idulfitri'), cuti('2026-05-15', 'Kenaikan'), cuti('2026-05-28', 'Iduladha'), cuti('2026-12-24', 'Natal'),
  // 2027 — SKB of September 2026 (Idulfitri and Iduladha estimated until the sidang isbat)
  libur('2027-01-01', 'Tahun Baru Masehi'), libur('2027-01-05', 'Isra Mikraj 1448 H'), libur('2027-02-06', 'Tahun Baru Imlek 2578'),
  libur('2027-03-08', 'Nyepi'), libur('2027-03-10', 'Idulfitri 1448 H'), libur('2027-03-11', 'Idulfitri 1448 H'),
  libur('2027-03-26', 'Wafat Yesus Kristus'), libur('2027-03-28', 'Paskah'), libur('2027-05-01', 'Hari Buruh'),
  libur('2027-05-06', 'Kenaikan Yesus Kristus'), libur('2027-05-17', 'Iduladha 1448 H'), libur('2027-05-20', 'Waisak 2571'),
  libur('2027-06-01', 'Hari Lahir Pancasila'), libur('2027-06-06', '1 Muharam 1449 H'), libur('2027-08-15', 'Maulid Nabi'),
  libur('2027-08-17', 'HUT RI'), libur('2027-12-25', 'Natal'), libur('2027-12-26', 'Isra Mikraj 1449 H'),
  cuti('2027-02-05', 'Imlek'), cuti('2027-03-09', 'Idulfitri'), cuti('2027-03-12', 'Idulfitri'), cuti('2027-03-15', 'Idulfitri'),
  cuti('2027-03-25', 'Wafat Yesus Kristus'), cuti('2027-05-18', 'Iduladha'), cuti('2027-05-19', 'Waisak'), cuti('2027-12-24', 'Natal'),
]
