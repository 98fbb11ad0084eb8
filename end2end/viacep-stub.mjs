// A loopback HTTP server that answers in ViaCEP's format, for the end2end tests: the
// boundary to the third-party service is the only stand-in; Atende's real client calls it.
import http from "node:http";

const port = Number(process.argv[2] ?? 3198);
const known = {
  "70040020": {
    cep: "70040-020", logradouro: "SBN Quadra 2", complemento: "", bairro: "Asa Norte",
    localidade: "Brasília", uf: "DF", ibge: "5300108", gia: "", ddd: "61", siafi: "9701",
  },
  "01001000": {
    cep: "01001-000", logradouro: "Praça da Sé", complemento: "lado ímpar", bairro: "Sé",
    localidade: "São Paulo", uf: "SP", ibge: "3550308", gia: "1004", ddd: "11", siafi: "7107",
  },
};

http
  .createServer((req, res) => {
    const match = /^\/ws\/(\d{8})\/json\/$/.exec(req.url ?? "");
    if (!match) {
      res.writeHead(400, { "content-type": "text/plain" }).end("bad request");
      return;
    }
    const cep = match[1];
    if (cep === "99999999") {
      res.writeHead(503, { "content-type": "text/plain" }).end("down");
      return;
    }
    const body = known[cep] ?? { erro: "true" };
    res.writeHead(200, { "content-type": "application/json; charset=utf-8" }).end(JSON.stringify(body));
  })
  .listen(port, "127.0.0.1", () => console.log(`viacep stub on ${port}`));
