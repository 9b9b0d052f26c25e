export { InfomorphError, type InfomorphErrorInit } from "./errors.js";
