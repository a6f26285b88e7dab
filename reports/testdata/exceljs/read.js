// Opens each workbook named by the arguments with ExcelJS and prints what ExcelJS read as a
// JSON array, one element per workbook: the document properties, the sheet names in order
// and every cell that holds a value (merged ranges once, at their first cell) with its
// number format. An error of ExcelJS is printed on stderr and ends the script with status 1.
'use strict';
const ExcelJS = require('exceljs');

async function read(file) {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(file);
  const out = {
    creator: wb.creator,
    lastModifiedBy: wb.lastModifiedBy,
    title: wb.title,
    subject: wb.subject,
    description: wb.description,
    language: wb.language,
    company: wb.company,
    created: wb.created,
    modified: wb.modified,
    sheets: wb.worksheets.map((ws) => ws.name),
    cells: {},
  };
  for (const ws of wb.worksheets) {
    const cells = {};
    ws.eachRow((row) => {
      row.eachCell((cell) => {
        if (cell.isMerged && cell.master !== cell) {
          return;
        }
        cells[cell.address] = {value: cell.value, numFmt: cell.numFmt || ''};
      });
    });
    out.cells[ws.name] = cells;
  }
  return out;
}

async function main(files) {
  const books = [];
  for (const file of files) {
    try {
      books.push(await read(file));
    } catch (err) {
      throw new Error(`ExcelJS could not read ${file}: ${err.stack || err}`);
    }
  }
  process.stdout.write(JSON.stringify(books));
}

main(process.argv.slice(2)).catch((err) => {
  process.stderr.write(`${err.message}\n`);
  process.exit(1);
});
